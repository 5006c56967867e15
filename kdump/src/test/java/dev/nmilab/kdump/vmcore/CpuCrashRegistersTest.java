package dev.nmilab.kdump.vmcore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nmilab.kernel.panic.PtRegs;
import dev.nmilab.memory.KernelLayout;
import dev.nmilab.smp.Machine;
import dev.nmilab.unicorn.X86Reg;
import dev.nmilab.x86.Cpu;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registers taken from real engines go into NT_PRSTATUS notes and come back out. */
class CpuCrashRegistersTest {
    @TempDir
    Path temp;

    @Test
    void captureReadsTheEngineAndSurvivesAVmcore() throws Exception {
        try (Machine machine = new Machine(2, 64L << 20)) {
            machine.createCpus();
            Cpu cpu = machine.cpu(1);
            cpu.setReg(X86Reg.RAX, 0x1122334455667788L);
            cpu.setReg(X86Reg.R15, 0xf15L);
            cpu.setReg(X86Reg.RIP, KernelLayout.KERNEL_TEXT + 0x42);
            cpu.setReg(X86Reg.RSP, KernelLayout.directMap(0x20_7f00L));
            cpu.setReg(X86Reg.RFLAGS, 0x246);
            cpu.setReg(X86Reg.GS_BASE, KernelLayout.directMap(0x22_2000L));

            CpuCrashRegisters captured = CpuCrashRegisters.capture(cpu, 7);

            assertEquals(1, captured.cpu());
            assertEquals(7, captured.pid());
            assertEquals(0x1122334455667788L, captured.rax());
            assertEquals(0xf15L, captured.r15());
            assertEquals(KernelLayout.KERNEL_TEXT + 0x42, captured.rip());
            assertEquals(KernelLayout.directMap(0x20_7f00L), captured.rsp());
            assertEquals(0x246, captured.eflags() & 0xfff);
            assertEquals(-1, captured.origRax());
            assertEquals(KernelLayout.directMap(0x22_2000L), captured.gsBase());
            assertEquals(cpu.reg(X86Reg.CS), captured.cs());

            Path file = temp.resolve("vmcore");
            List<CpuCrashRegisters> both = List.of(CpuCrashRegisters.capture(machine.cpu(0), 0), captured);
            new VmcoreWriter().write(file, new VmcoreContents(both, TestVmcores.vmcoreinfo(), java.util.Map.of(),
                    machine.physical(), 0, 0));
            try (VmcoreReader reader = VmcoreReader.open(file)) {
                assertEquals(both, reader.cpus());
            }
        }
    }

    @Test
    void fromPtRegsTakesTheFrameAndTheCpusSegments() {
        try (Machine machine = new Machine(1, 64L << 20)) {
            machine.createCpus();
            Cpu cpu = machine.cpu(0);
            cpu.setReg(X86Reg.FS_BASE, 0x7000L);
            PtRegs frame = new PtRegs(15, 14, 13, 12, 0xbb, 0xb, 11, 10, 9, 8, 0xa, 0xc, 0xd, 0x51, 0xd1, -1,
                    KernelLayout.KERNEL_TEXT + 0x99, 0x10, 0x86, 0xffff_8880_0020_7000L, 0x18);

            CpuCrashRegisters regs = CpuCrashRegisters.fromPtRegs(cpu, 3, frame);

            assertEquals(15, regs.r15());
            assertEquals(0xd1, regs.rdi());
            assertEquals(KernelLayout.KERNEL_TEXT + 0x99, regs.rip());
            assertEquals(0x86, regs.eflags());
            assertEquals(0x18, regs.ss());
            assertEquals(0x7000L, regs.fsBase());
        }
    }
}
