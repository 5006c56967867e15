package dev.nmilab.kdump.vmcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** struct elf_prstatus on x86-64: 336 bytes, pr_pid at 32, pr_reg (user_regs_struct order) at 112. */
class ElfPrstatusTest {
    @Test
    void fieldsSitAtTheKernelsOffsets() {
        CpuCrashRegisters cpu = TestVmcores.registers(2).get(1);
        ByteBuffer desc = ByteBuffer.wrap(ElfPrstatus.encode(cpu)).order(ByteOrder.LITTLE_ENDIAN);

        assertEquals(0x150, desc.capacity());
        assertEquals(101, desc.getInt(32));
        assertEquals(cpu.r15(), desc.getLong(112));
        assertEquals(cpu.rax(), desc.getLong(112 + 10 * 8));
        assertEquals(-1L, desc.getLong(112 + 15 * 8), "orig_rax");
        assertEquals(cpu.rip(), desc.getLong(112 + 16 * 8));
        assertEquals(0x10, desc.getLong(112 + 17 * 8), "cs");
        assertEquals(cpu.rsp(), desc.getLong(112 + 19 * 8));
        assertEquals(cpu.gs(), desc.getLong(112 + 26 * 8));
        assertEquals(0, desc.getInt(0), "pr_info stays zero");
        assertEquals(0, desc.getInt(328), "pr_fpvalid stays zero");
    }

    @Test
    void decodeGivesBackWhatWasEncoded() {
        CpuCrashRegisters cpu = TestVmcores.registers(3).get(2);

        CpuCrashRegisters back = ElfPrstatus.decode(2, ElfPrstatus.encode(cpu));

        assertEquals(cpu, back);
        assertArrayEquals(cpu.regs(), back.regs());
        assertEquals("rip", CpuCrashRegisters.NAMES.get(CpuCrashRegisters.RIP));
    }

    @Test
    void aDescriptorOfAnotherSizeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ElfPrstatus.decode(0, new byte[144]));
        assertEquals("elf_prstatus is 336 bytes on x86-64, got 144", e.getMessage());
    }

    @Test
    void registersMustBeTwentySevenAndAreCopied() {
        assertThrows(IllegalArgumentException.class, () -> new CpuCrashRegisters(0, 1, new long[21]));
        long[] regs = new long[27];
        CpuCrashRegisters cpu = new CpuCrashRegisters(0, 1, regs);
        regs[CpuCrashRegisters.RIP] = 5;
        cpu.regs()[CpuCrashRegisters.RIP] = 6;
        assertEquals(0, cpu.rip());
    }
}
