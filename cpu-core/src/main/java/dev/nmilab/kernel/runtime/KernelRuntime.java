package dev.nmilab.kernel.runtime;

import dev.nmilab.asm.AssembledImage;
import dev.nmilab.asm.Assembler;
import dev.nmilab.asm.AssemblyException;
import dev.nmilab.asm.Symbol;
import dev.nmilab.gate.Gate;
import dev.nmilab.gate.GateCall;
import dev.nmilab.kernel.cmdline.KernelCommandLine;
import dev.nmilab.kernel.lock.HangDetector;
import dev.nmilab.kernel.panic.BugTable;
import dev.nmilab.kernel.panic.Die;
import dev.nmilab.kernel.panic.KernelOutcome;
import dev.nmilab.kernel.panic.LinuxPanic;
import dev.nmilab.kernel.panic.Panic;
import dev.nmilab.kernel.panic.PtRegs;
import dev.nmilab.kernel.percpu.PerCpuArea;
import dev.nmilab.kernel.preempt.PreemptCount;
import dev.nmilab.kernel.printk.KernelLog;
import dev.nmilab.kernel.printk.LogLevel;
import dev.nmilab.kernel.printk.Printk;
import dev.nmilab.kernel.printk.PrintkRingbuffer;
import dev.nmilab.kernel.printk.SerialConsole;
import dev.nmilab.kernel.sysctl.Sysctls;
import dev.nmilab.kernel.task.JavaText;
import dev.nmilab.kernel.task.KernelScheduler;
import dev.nmilab.kernel.task.Task;
import dev.nmilab.smp.BootLayout;
import dev.nmilab.smp.Machine;
import dev.nmilab.stub.DefaultIdt;
import dev.nmilab.x86.Cpu;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The modelled kernel on one machine: its memory layout, its Java gates and the runtime stub
 * (exception entries, lkdtm functions), printk, die/panic and the task scheduler, brought up in
 * the order a boot needs: gates, code, IDT, CPUs.
 *
 * <pre>
 *  physical             what
 *  0x0a00000-0x0b00000  printk_ringbuffer: prb, printk_rb_static, clear_seq, descs, infos, __log_buf
 *  0x0b00000-0x0f00000  task stacks
 *  0x0f00000            gate page (GateTable), 0x0f01000 Java text page (JavaText)
 *  0x0f02000            init_uts_ns
 *  0x0f03000-0x0f0b000  init_top_pgt and the tables below it (built by the kdump module)
 *  0x0f0b000-0x0f2f000  mem_section: the root array, then one page per root (kdump module)
 *  0x1000000            kernel text: the runtime stub, subsystem and scenario stubs
 * </pre>
 */
public final class KernelRuntime {
    /** printk's ring: prb, printk_rb_static, clear_seq and their arrays (PrintkRingbuffer's layout). */
    public static final long LOG_BUFFER_PHYSICAL = BootLayout.firstFreePhysical();
    public static final long LOG_BUFFER_SIZE = 1L << 20;
    /** CONFIG_LOG_BUF_SHIFT's default (init/Kconfig): 128 KiB of text, 4096 descriptors. */
    public static final int LOG_BUF_SHIFT = 17;
    /** init_uts_ns, in the kernel image's data after the gate and Java text pages. */
    public static final long INIT_UTS_NS_PHYSICAL = 0xf0_2000L;
    /** init_top_pgt and the tables below it, for dump readers that walk them (built by the kdump module). */
    public static final long INIT_TOP_PGT_PHYSICAL = 0xf0_3000L;
    public static final long INIT_TOP_PGT_END = 0xf0_b000L;
    /** mem_section (SPARSEMEM_EXTREME), for dump readers that look memory up by section (kdump module). */
    public static final long MEM_SECTION_PHYSICAL = 0xf0_b000L;
    public static final long MEM_SECTION_END = 0xf2_f000L;
    public static final long TASK_STACKS_PHYSICAL = LOG_BUFFER_PHYSICAL + LOG_BUFFER_SIZE;
    public static final long TASK_STACKS_END = 0xf0_0000L;
    public static final String RUNTIME_STUB = "dev/nmilab/kernel/runtime/kernel.S";
    /** A directory where linked stubs are kept by content (set by ./nmilab: tools/target/stub-cache). */
    public static final String STUB_CACHE_PROPERTY = "nmilab.stubCache";
    /** Scenario stubs are linked 1 MiB apart above the runtime's own text. */
    public static final long STUB_STRIDE = 1L << 20;
    /** A stub symbol (a .quad) that, when defined, gets the address of a fresh vmalloc'd page at boot. */
    public static final String VMALLOC_POINTER_SYMBOL = "vmalloc_area_ptr";

    private final Machine machine;
    private final KernelServices services;
    private final JavaText javaText;
    private final BugTable bugTable = new BugTable();
    private final List<AssembledImage> images = new ArrayList<>();
    private final Map<String, Long> symbols = new LinkedHashMap<>();
    private final HangDetector hangDetector;
    private final List<KernelSubsystem> subsystems = new ArrayList<>();
    private final Vmalloc vmalloc;
    private java.nio.file.Path outputDirectory;

    public KernelRuntime(Machine machine, KernelCommandLine cmdline, Sysctls sysctls, KernelIdentity identity) {
        this.machine = machine;
        this.javaText = new JavaText(machine);
        KernelOutcome outcome = new KernelOutcome();
        KernelScheduler[] scheduler = new KernelScheduler[1];
        KernelServices[] self = new KernelServices[1];
        // _DEFINE_PRINTKRB(printk_rb_static, CONFIG_LOG_BUF_SHIFT - PRB_AVGBITS, PRB_AVGBITS, &__log_buf[0])
        // the ring through a window on its own pages: printk writes it a great deal
        PrintkRingbuffer buffer = new PrintkRingbuffer(new dev.nmilab.memory.DirectMapWindow(machine.physical(),
                logBufferAddress(), LOG_BUFFER_PHYSICAL, LOG_BUFFER_SIZE), logBufferAddress(),
                LOG_BUF_SHIFT - PrintkRingbuffer.PRB_AVGBITS, LOG_BUF_SHIFT);
        InitUtsNs.write(machine.physical(), INIT_UTS_NS_PHYSICAL, identity);
        Printk printk = new KernelLog(machine, buffer, sysctls, SerialConsole.fromCommandLine(cmdline),
                cpu -> currentPid(scheduler[0], cpu));
        LinuxPanic panic = new LinuxPanic(machine, printk, sysctls, outcome);
        Die die = new Die(machine, printk, sysctls, panic, identity);
        scheduler[0] = new KernelScheduler(machine, javaText, () -> self[0], TASK_STACKS_PHYSICAL, TASK_STACKS_END);
        panic.connect(die, scheduler[0]);
        ((KernelLog) printk).attach(scheduler[0]);
        self[0] = new KernelServices(machine, cmdline, sysctls, printk, panic, die, scheduler[0], outcome, identity);
        this.services = self[0];
        this.hangDetector = new HangDetector(machine, scheduler[0]);
        applyCommandLine(cmdline, sysctls);
        machine.gates().register("exc_invalid_op", this::excInvalidOp);
        machine.gates().register("exc_int3", call -> 0);
        this.vmalloc = new Vmalloc(machine);
        machine.gates().register("exc_page_fault", this::excPageFault);
    }

    /** Where the printk ring is laid out: the kernel's address of {@code prb} (the direct map). */
    public static long logBufferAddress() {
        return dev.nmilab.memory.KernelLayout.directMap(LOG_BUFFER_PHYSICAL);
    }

    /** The kernel's address of init_uts_ns (__START_KERNEL_map + physical, like any kernel data). */
    public static long initUtsNsAddress() {
        return dev.nmilab.memory.KernelLayout.START_KERNEL_MAP + INIT_UTS_NS_PHYSICAL;
    }

    /** The kernel's address of init_top_pgt (swapper_pg_dir on x86-64), in the kernel image mapping. */
    public static long initTopPgtAddress() {
        return dev.nmilab.memory.KernelLayout.START_KERNEL_MAP + INIT_TOP_PGT_PHYSICAL;
    }

    /** panic=N and oops=panic on the command line set the sysctls they stand for (kernel/panic.c). */
    private static void applyCommandLine(KernelCommandLine cmdline, Sysctls sysctls) {
        if (cmdline.has("panic")) {
            sysctls.write("kernel.panic", Integer.toString(cmdline.integer("panic", 0)));
        }
        if (cmdline.string("oops").filter("panic"::equals).isPresent()) {
            sysctls.write("kernel.panic_on_oops", "1");
        }
    }

    private static int currentPid(KernelScheduler scheduler, int cpu) {
        Task task = scheduler == null ? null : scheduler.current(cpu);
        return task == null ? -1 : task.pid();
    }

    public KernelServices services() {
        return services;
    }

    public Machine machine() {
        return machine;
    }

    public JavaText javaText() {
        return javaText;
    }

    public HangDetector hangDetector() {
        return hangDetector;
    }

    /** Install {@code subsystem}: its gates and devices now, its stubs at load, its start at boot. */
    public void install(KernelSubsystem subsystem) {
        subsystems.add(subsystem);
        subsystem.install(this);
    }

    /** Register a Java function stub code can call by name; before {@link #boot}. */
    public void registerGate(String name, Gate gate) {
        machine.gates().register(name, gate);
    }

    /**
     * Assemble and load the runtime stub and then {@code stubs} (name, source) in order, each at
     * its own text address. Later stubs' handler symbols take precedence in the IDT.
     */
    public void loadStubs(List<Map.Entry<String, String>> stubs) throws AssemblyException {
        Assembler assembler = new Assembler().withExternalSymbols(machine.gates().symbols());
        String cacheDirectory = System.getProperty(STUB_CACHE_PROPERTY);
        if (cacheDirectory != null && !cacheDirectory.isBlank()) {
            assembler = assembler.withCache(java.nio.file.Path.of(cacheDirectory));
        }
        List<Map.Entry<String, String>> all = new ArrayList<>();
        all.add(Map.entry("kernel/runtime.S", Resources.text(RUNTIME_STUB)));
        subsystems.forEach(subsystem -> all.addAll(subsystem.stubs()));
        all.addAll(stubs);
        long address = Assembler.DEFAULT_TEXT_ADDRESS;
        for (Map.Entry<String, String> stub : all) {
            AssembledImage image = assembler.assemble(stub.getKey(), stub.getValue(), address, List.of());
            load(image);
            address += Math.max(STUB_STRIDE, (image.size() + STUB_STRIDE - 1) / STUB_STRIDE * STUB_STRIDE);
        }
    }

    private void load(AssembledImage image) {
        Map<String, Long> own = new LinkedHashMap<>();
        for (Symbol symbol : image.symbols().symbols()) {
            own.put(symbol.name(), symbol.address());
        }
        machine.loadCode(image.loadAddress(), image.bytes(), own, dev.nmilab.stub.ImageSites.image(image));
        Optional<Long> start = image.symbols().constant("__start___bug_table");
        Optional<Long> stop = image.symbols().constant("__stop___bug_table");
        if (start.isPresent() && stop.isPresent()) {
            bugTable.load(machine.kernelSpace(), start.get(), stop.get());
        }
        images.add(image);
        symbols.putAll(own);
    }


    /** The physical end of the loaded kernel text (runtime stub, subsystem and scenario stubs). */
    public long imageEndPhysical() {
        long end = dev.nmilab.memory.KernelLayout.KERNEL_TEXT_PHYSICAL;
        for (AssembledImage image : images) {
            end = Math.max(end, image.endAddress() - dev.nmilab.memory.KernelLayout.START_KERNEL_MAP);
        }
        return (end + 4095) & ~4095L;
    }

    public Optional<Long> symbol(String name) {
        return Optional.ofNullable(symbols.get(name));
    }

    /**
     * Build the IDT from the loaded handlers, create the CPUs and start them: at
     * {@code entry} when a stub provides one (every CPU runs it), otherwise in the idle loop.
     */
    public void boot(Optional<String> entry) {
        Map<Integer, Integer> ist = new java.util.TreeMap<>(BootLayout.defaultIst());
        subsystems.forEach(subsystem -> ist.putAll(subsystem.istOverrides()));
        machine.writeIdt(DefaultIdt.handlers(this::symbol), ist);
        long entryAddress = entry.map(name -> symbol(name).orElseThrow(
                () -> new IllegalArgumentException("no symbol " + name + " to start the CPUs at")))
                .orElse(javaText.pad("do_idle"));
        machine.boot(entryAddress);
        javaText.attach();
        // a stub's vmalloc_area_ptr (a .quad) receives one vmalloc'd page, unmapped on every CPU until it faults
        symbol(VMALLOC_POINTER_SYMBOL).ifPresent(pointer -> machine.kernelSpace().writeLong(pointer,
                vmalloc.vmalloc(4096, VMALLOC_POINTER_SYMBOL).virtualStart()));
        for (Cpu cpu : machine.cpus()) {
            PerCpuArea.preemptCount(machine.kernelSpace(), cpu.index()).set(0);
        }
        if (entry.isEmpty()) {
            services.scheduler().bootIdle();
        }
        machine.scheduler().setExecutor(services.scheduler());
        subsystems.forEach(subsystem -> subsystem.started(this));
    }

    public List<KernelSubsystem> subsystems() {
        return List.copyOf(subsystems);
    }

    /** Where this run writes its files (the capture kernel puts the vmcore there). */
    public void setOutputDirectory(java.nio.file.Path directory) {
        this.outputDirectory = directory;
    }

    public Optional<java.nio.file.Path> outputDirectory() {
        return Optional.ofNullable(outputDirectory);
    }

    public Vmalloc vmalloc() {
        return vmalloc;
    }

    /**
     * exc_page_fault (arch/x86/mm/fault.c): a kernel access to a vmalloc area that this CPU's page
     * tables do not map yet is fixed by vmalloc_fault; anything else is an oops.
     */
    private long excPageFault(GateCall call) {
        Cpu cpu = call.cpu();
        long address = cpu.reg(dev.nmilab.unicorn.X86Reg.CR2);
        long errorCode = call.arg(1);
        if (vmalloc.fault(cpu, address)) {
            return 0;
        }
        int index = cpu.index();
        PtRegs regs = PtRegs.read(machine.kernelSpace(), call.arg(0));
        Printk printk = services.printk();
        printk.printk(index, LogLevel.KERN_ALERT, String.format("BUG: unable to handle page fault for address: %016x",
                address));
        printk.printk(index, LogLevel.KERN_ALERT, String.format("#PF: supervisor %s in kernel mode",
                (errorCode & 16) != 0 ? "instruction fetch" : (errorCode & 2) != 0 ? "write access" : "read access"));
        printk.printk(index, LogLevel.KERN_ALERT, String.format("#PF: error_code(0x%04x) - %s", errorCode,
                (errorCode & 1) == 0 ? "not-present page" : "permissions violation"));
        int preempt = PerCpuArea.preemptCount(machine.kernelSpace(), index).value();
        Die.Result result = services.die().die(index, "Oops", regs, errorCode, services.scheduler().current(index),
                PreemptCount.inInterrupt(preempt));
        call.noReturn();
        if (result == Die.Result.TASK_KILLED && cpu.state() == Cpu.State.RUNNING) {
            services.scheduler().killCurrent(cpu);
        }
        return 0;
    }

    public BugTable bugTable() {
        return bugTable;
    }

    // ---- gates ----

    /**
     * exc_invalid_op (arch/x86/kernel/traps.c: handle_bug, report_bug in lib/bug.c): a ud2 with
     * a __bug_table entry is a BUG(): "kernel BUG at FILE:LINE!", then die("invalid opcode").
     */
    private long excInvalidOp(GateCall call) {
        Cpu cpu = call.cpu();
        int index = cpu.index();
        PtRegs regs = PtRegs.read(machine.kernelSpace(), call.arg(0));
        Printk printk = services.printk();
        bugTable.find(regs.ip()).ifPresent(bug -> {
            printk.printk(index, LogLevel.KERN_WARNING, "------------[ cut here ]------------");
            printk.printk(index, LogLevel.KERN_CRIT, "kernel BUG at " + bug.file() + ":" + bug.line() + "!");
        });
        int preempt = PerCpuArea.preemptCount(machine.kernelSpace(), index).value();
        Task task = services.scheduler().current(index);
        Die.Result result = services.die().die(index, "invalid opcode", regs, 0, task,
                PreemptCount.inInterrupt(preempt));
        call.noReturn();
        if (result == Die.Result.TASK_KILLED && cpu.state() == Cpu.State.RUNNING) {
            services.scheduler().killCurrent(cpu);
        }
        return 0;
    }

    /** The panic implementation in use (for subsystems that must call panic()). */
    public Panic panic() {
        return services.panic();
    }

}
