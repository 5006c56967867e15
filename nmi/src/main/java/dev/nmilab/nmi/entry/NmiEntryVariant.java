package dev.nmilab.nmi.entry;

import dev.nmilab.smp.BootLayout;
import dev.nmilab.x86.Vector;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The NMI entry stubs nmilab ships, each a GNU as source defining {@code asm_exc_nmi} that calls
 * {@code NMI_HANDLER} (a preprocessor name, {@code do_nmi} unless the including source defines
 * it first) with the pt_regs pointer in RDI.
 */
public enum NmiEntryVariant {
    /** x86_64 since Linux 3.3: nesting caught in assembly, saved and copied iret frames, repeat_nmi. */
    NESTED_SAFE("nested-safe.S", BootLayout.IST_NMI),
    /** x86_64 before Linux 3.3: one frame on the IST stack, no nesting check. */
    NAIVE("naive.S", BootLayout.IST_NMI),
    /** i386 (nmi.c, CONFIG_X86_32): the per-CPU three-state latch; NMIs on the interrupted stack. */
    I386_LATCH("i386-latch.S", 0);

    private static final String DIRECTORY = "dev/nmilab/nmi/entry/";

    private final String fileName;
    private final int nmiIst;

    NmiEntryVariant(String fileName, int nmiIst) {
        this.fileName = fileName;
        this.nmiIst = nmiIst;
    }

    /** Classpath resource name, also a valid source name for the assembler. */
    public String resourceName() {
        return DIRECTORY + fileName;
    }

    /** The stub's text. */
    public String source() {
        try (InputStream in = NmiEntryVariant.class.getClassLoader().getResourceAsStream(resourceName())) {
            if (in == null) {
                throw new IllegalStateException("NMI entry stub " + resourceName() + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resourceName(), e);
        }
    }

    /**
     * The IST the NMI gate must use for this stub: IST2 for the x86_64 entries, none for the i386
     * latch, which relies on a nested NMI's frame going below the running one.
     */
    public int nmiIst() {
        return nmiIst;
    }

    /** Linux 6.1's IST assignment ({@link BootLayout#defaultIst()}) with this stub's NMI stack. */
    public Map<Integer, Integer> istByVector() {
        Map<Integer, Integer> ist = new TreeMap<>(BootLayout.defaultIst());
        if (nmiIst == 0) {
            ist.remove(Vector.NMI);
        } else {
            ist.put(Vector.NMI, nmiIst);
        }
        return ist;
    }
}
