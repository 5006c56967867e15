package dev.nmilab.asm;

import dev.nmilab.asm.ToolRunner.Tool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds GNU-as entry stubs into flat images: {@code gcc -E} (so stubs can
 * use #include and #define like arch/x86/entry/*.S), {@code as --64},
 * {@code ld} with a generated script that places the image at a chosen
 * virtual address, then reads the ELF itself and asks objdump where the
 * special instructions are.
 *
 * The built-in headers (calling.h, nmilab.h) are always on the include path,
 * after the caller's directories. Diagnostics name the source as the caller
 * named it. Instances are stateless apart from the timeout and safe to share
 * between threads.
 */
public final class Assembler {

    private static final Logger log = LoggerFactory.getLogger(Assembler.class);

    /** Where Linux links its kernel text on x86-64 (__START_KERNEL_map + 16 MiB). */
    public static final long DEFAULT_TEXT_ADDRESS = 0xffffffff81000000L;

    public static final Duration DEFAULT_TOOL_TIMEOUT = Duration.ofSeconds(60);

    private static final String PREPROCESSED = "preprocessed.s";
    private static final String OBJECT = "object.o";
    private static final String SCRIPT = "layout.ld";
    private static final String LINKED = "linked.elf";
    private static final String RAW_CODE = "code.bin";

    private final ToolRunner tools;
    /** Parent of the per-assembly temporary directories; null for java.io.tmpdir. */
    private final Path temporaryRoot;
    /** Addresses the linker resolves undefined names to (Java gates such as do_nmi). */
    private final java.util.SortedMap<String, Long> externalSymbols;
    /** Linked stubs by content, or null. */
    private final StubCache cache;

    public Assembler() {
        this(DEFAULT_TOOL_TIMEOUT);
    }

    /** @param toolTimeout how long any one of gcc, as, ld or objdump may run */
    public Assembler(Duration toolTimeout) {
        this(toolTimeout, null);
    }

    /** For tests that check nothing is left behind: work under {@code temporaryRoot}. */
    Assembler(Duration toolTimeout, Path temporaryRoot) {
        this(new ToolRunner(toolTimeout), temporaryRoot, new java.util.TreeMap<>());
    }

    private Assembler(ToolRunner tools, Path temporaryRoot, java.util.SortedMap<String, Long> externalSymbols) {
        this(tools, temporaryRoot, externalSymbols, null);
    }

    private Assembler(ToolRunner tools, Path temporaryRoot, java.util.SortedMap<String, Long> externalSymbols,
            StubCache cache) {
        this.tools = tools;
        this.temporaryRoot = temporaryRoot;
        this.externalSymbols = externalSymbols;
        this.cache = cache;
    }

    /**
     * An assembler that keeps what it links from source text in {@code directory} and reuses it
     * when the same source, address, symbols, headers and tools come again.
     */
    public Assembler withCache(Path directory) {
        return new Assembler(tools, temporaryRoot, externalSymbols, new StubCache(Objects.requireNonNull(directory)));
    }

    /**
     * An assembler whose linker also knows {@code symbols} (passed as {@code --defsym}), so stub
     * code can {@code call} Java gates by name.
     */
    public Assembler withExternalSymbols(java.util.Map<String, Long> symbols) {
        java.util.SortedMap<String, Long> all = new java.util.TreeMap<>(externalSymbols);
        symbols.forEach((name, address) -> {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_.$]*")) {
                throw new IllegalArgumentException("not a symbol name: " + name);
            }
            all.put(name, address);
        });
        return new Assembler(tools, temporaryRoot, all, cache);
    }

    /** Assembles a file at {@link #DEFAULT_TEXT_ADDRESS} with only the built-in headers. */
    public AssembledImage assemble(Path source) throws AssemblyException {
        return assemble(source, DEFAULT_TEXT_ADDRESS, List.of());
    }

    /**
     * @param source             the .S file; diagnostics name it exactly as given here
     * @param textAddress        virtual address of the first byte of .text
     * @param includeDirectories searched before the built-in headers
     */
    public AssembledImage assemble(Path source, long textAddress, List<Path> includeDirectories)
            throws AssemblyException {
        String name = source.toString();
        if (!Files.isRegularFile(source)) {
            throw new AssemblyException(name + ": no such file");
        }
        try (Workspace workspace = Workspace.create(temporaryRoot)) {
            // gcc is handed the path as the user gave it, from the JVM's own directory,
            // so its line markers (and so every diagnostic after it) carry that name.
            return build(workspace, name, null, name, textAddress, includeDirectories, null);
        }
    }

    /** Assembles source text (a classpath resource, say) at {@link #DEFAULT_TEXT_ADDRESS}. */
    public AssembledImage assemble(String name, String sourceText) throws AssemblyException {
        return assemble(name, sourceText, DEFAULT_TEXT_ADDRESS, List.of());
    }

    /**
     * @param name               a relative file name such as "nmi/entry_64.S"; diagnostics use it
     * @param sourceText         the stub's text
     * @param textAddress        virtual address of the first byte of .text
     * @param includeDirectories searched before the built-in headers
     */
    public AssembledImage assemble(String name, String sourceText, long textAddress, List<Path> includeDirectories)
            throws AssemblyException {
        Objects.requireNonNull(sourceText, "sourceText");
        Path relative = checkedSourceName(name);
        String cacheKey = cache != null && includeDirectories.isEmpty() ? cacheKey(name, sourceText, textAddress) : null;
        if (cacheKey != null) {
            Optional<AssembledImage> hit = fromCache(name, cacheKey);
            if (hit.isPresent()) {
                return hit.get();
            }
        }
        try (Workspace workspace = Workspace.create(temporaryRoot)) {
            // Written under its own name and compiled from that directory, so gcc
            // sees "nmi/entry_64.S" and never the temporary path.
            Path sources = workspace.file("src");
            Path file = sources.resolve(relative);
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, sourceText, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AssemblyException(name + ": cannot write a temporary copy: " + e.getMessage(), e);
            }
            workspace.alias(file, name);
            return build(workspace, name, sources, relative.toString(), textAddress, includeDirectories, cacheKey);
        }
    }

    private String cacheKey(String name, String sourceText, long textAddress) throws AssemblyException {
        StringBuilder headers = new StringBuilder();
        Path includes = BuiltinIncludes.directory();
        for (String header : BuiltinIncludes.HEADERS) {
            try {
                headers.append(header).append('\n').append(Files.readString(includes.resolve(header)));
            } catch (IOException e) {
                throw new AssemblyException("cannot read the built-in header " + header + ": " + e.getMessage(), e);
            }
        }
        StringBuilder toolPrints = new StringBuilder();
        for (Tool tool : Tool.values()) {
            toolPrints.append(tools.locate(tool).map(StubCache::fingerprint).orElse(tool.command + " missing"))
                    .append('\n');
        }
        return StubCache.key(name, sourceText, Long.toHexString(textAddress), externalSymbols.toString(),
                headers.toString(), toolPrints.toString(), LinkerScript.forTextAddress(textAddress));
    }

    private Optional<AssembledImage> fromCache(String name, String key) {
        Optional<StubCache.Entry> entry = cache.get(key);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        try {
            ElfImageReader.LinkedImage image = ElfImageReader.read(name, entry.get().elf());
            List<SpecialInstruction> sites = sitesOf(name, entry.get().listing());
            return Optional.of(new AssembledImage(name, image.loadAddress(), image.bytes(), image.symbols(), sites));
        } catch (RuntimeException | AssemblyException e) {
            log.debug("stub cache entry for {} unusable, rebuilding: {}", name, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Loads an ELF64 x86-64 executable linked elsewhere, as if it had been
     * assembled here: the flat image of its allocated sections, its symbols
     * and its special instruction sites.
     */
    public AssembledImage loadElf(Path elfFile) throws AssemblyException {
        String name = elfFile.toString();
        byte[] elf = readLinked(elfFile, name);
        ElfImageReader.LinkedImage linked = ElfImageReader.read(name, elf);
        try (Workspace workspace = Workspace.create(temporaryRoot)) {
            workspace.alias(elfFile, name);
            List<SpecialInstruction> sites = scan(workspace, name, List.of("-d", elfFile.toAbsolutePath().toString()));
            return new AssembledImage(name, linked.loadAddress(), linked.bytes(), linked.symbols(), sites);
        }
    }

    /**
     * Finds the special instructions in raw code as the CPU would decode it
     * from {@code address} on; for code written at run time (text_poke,
     * kprobes), which has no ELF around it. Pass code only: data bytes would
     * be decoded as instructions too.
     */
    public List<SpecialInstruction> scanSpecialInstructions(byte[] code, long address) throws AssemblyException {
        if (code.length == 0) {
            return List.of();
        }
        try (Workspace workspace = Workspace.create(temporaryRoot)) {
            Path raw = workspace.file(RAW_CODE);
            try {
                Files.write(raw, code);
            } catch (IOException e) {
                throw new AssemblyException("cannot write code for objdump: " + e.getMessage(), e);
            }
            workspace.alias(raw, "code at 0x" + Long.toHexString(address));
            return scan(workspace, "code at 0x" + Long.toHexString(address), List.of("-D", "-b", "binary", "-m", "i386:x86-64",
                    "--adjust-vma=0x" + Long.toHexString(address), raw.toString()));
        }
    }

    private AssembledImage build(Workspace workspace, String name, Path workingDirectory, String sourceArgument,
                                 long textAddress, List<Path> includeDirectories, String cacheKey)
            throws AssemblyException {
        for (Tool tool : Tool.values()) {
            tools.requireInstalled(tool);
        }
        Path includes = BuiltinIncludes.directory();
        workspace.alias(includes, BuiltinIncludes.SHOWN_AS);
        Path preprocessed = workspace.file(PREPROCESSED);
        Path object = workspace.file(OBJECT);
        Path script = workspace.file(SCRIPT);
        Path linked = workspace.file(LINKED);
        // as reports errors through gcc's line markers; what is left naming
        // the intermediate files is renamed after the source.
        workspace.alias(preprocessed, name);
        workspace.alias(object, name);
        workspace.alias(linked, name);

        List<String> preprocess = new ArrayList<>(List.of("-E", "-x", "assembler-with-cpp", "-nostdinc",
                "-D__ASSEMBLY__", "-fdiagnostics-plain-output",
                "-fmacro-prefix-map=" + includes + "=" + BuiltinIncludes.SHOWN_AS));
        for (Path directory : includeDirectories) {
            if (!Files.isDirectory(directory)) {
                throw new AssemblyException(name + ": include directory " + directory + " does not exist");
            }
            preprocess.add("-I" + directory.toAbsolutePath());
        }
        preprocess.addAll(List.of("-I" + includes, "-o", preprocessed.toString(), sourceArgument));
        runStep(workspace, Tool.GCC, preprocess, workingDirectory);

        runStep(workspace, Tool.AS, List.of("--64", "--noexecstack", "-o", object.toString(), preprocessed.toString()),
                null);

        try {
            Files.writeString(script, LinkerScript.forTextAddress(textAddress), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new AssemblyException("cannot write the linker script: " + e.getMessage(), e);
        }
        List<String> link = new ArrayList<>(List.of("-m", "elf_x86_64", "-static", "-nostdlib", "-z", "noexecstack",
                "-z", "max-page-size=0x1000", "--build-id=none", "-T", script.toString()));
        externalSymbols.forEach((symbol, address) -> link.add("--defsym=" + symbol + "=0x" + Long.toHexString(address)));
        link.addAll(List.of("-o", linked.toString(), object.toString()));
        runStep(workspace, Tool.LD, link, null);

        byte[] elf = readLinked(linked, name);
        ElfImageReader.LinkedImage image = ElfImageReader.read(name, elf);
        String listing = listing(workspace, List.of("-d", linked.toString()));
        List<SpecialInstruction> sites = sitesOf(name, listing);
        if (cacheKey != null) {
            cache.put(cacheKey, new StubCache.Entry(elf, listing));
        }
        log.debug("assembled {} at 0x{}: {} bytes, {} symbols, {} special instructions", name,
                Long.toHexString(image.loadAddress()), image.bytes().length, image.symbols().symbols().size(),
                sites.size());
        return new AssembledImage(name, image.loadAddress(), image.bytes(), image.symbols(), sites);
    }

    private List<SpecialInstruction> scan(Workspace workspace, String name, List<String> target)
            throws AssemblyException {
        return sitesOf(name, listing(workspace, target));
    }

    /** The special instructions of a listing, refusing code no engine can translate without aborting. */
    private static List<SpecialInstruction> sitesOf(String name, String listing) throws AssemblyException {
        List<String> aborts = ObjdumpListing.engineAborts(listing);
        if (!aborts.isEmpty()) {
            throw new AssemblyException(name + ": " + aborts.get(0) + " makes Unicorn 2.0.1 abort the process "
                    + "while translating it (the hardware raises #UD for it): remove it"
                    + (aborts.size() > 1 ? " (and " + (aborts.size() - 1) + " more like it)" : ""));
        }
        return ObjdumpListing.specialInstructions(listing);
    }

    private String listing(Workspace workspace, List<String> target) throws AssemblyException {
        // -z: decode zero runs instead of eliding them, so decoding stays in step with the CPU's.
        List<String> arguments = new ArrayList<>(List.of("-z", "--insn-width=15", "-M", "att"));
        arguments.addAll(target);
        return runStep(workspace, Tool.OBJDUMP, arguments, null).stdout();
    }

    private ToolRunner.Result runStep(Workspace workspace, Tool tool, List<String> arguments, Path workingDirectory)
            throws AssemblyException {
        ToolRunner.Result result = tools.run(tool, arguments, workingDirectory, workspace.directory());
        String diagnostics = workspace.rewrite(result.stderr());
        if (!result.succeeded()) {
            throw new AssemblyException(diagnostics.isEmpty()
                    ? tool.command + " failed with exit code " + result.exitCode()
                    : diagnostics);
        }
        if (!diagnostics.isEmpty()) {
            log.warn("{}: {}", tool.command, diagnostics);
        }
        return result;
    }

    private static byte[] readLinked(Path file, String name) throws AssemblyException {
        try {
            long size = Files.size(file);
            // The file holds the image plus headers and symbols; anything far larger is not a stub.
            if (size > 4L * ElfImageReader.MAX_IMAGE_BYTES) {
                throw new ElfFormatException(name + ": " + size + " bytes is too large for a stub image");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new AssemblyException(name + ": no such file", e);
        } catch (IOException e) {
            throw new AssemblyException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static Path checkedSourceName(String name) {
        Objects.requireNonNull(name, "name");
        Path path = Path.of(name);
        if (name.isBlank() || path.isAbsolute() || !path.normalize().equals(path) || path.startsWith("..")) {
            throw new IllegalArgumentException("source name must be a plain relative path such as \"stub.S\": " + name);
        }
        return path;
    }
}
