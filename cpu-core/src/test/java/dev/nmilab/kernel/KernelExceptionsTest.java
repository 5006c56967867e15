package dev.nmilab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class KernelExceptionsTest {

    @Test
    void bugWithoutLineReportsTheFileOnly() {
        KernelBugException bug = new KernelBugException("kernel/panic.c", "oops_in_progress");
        assertEquals(OptionalInt.empty(), bug.line());
        assertEquals("kernel BUG at kernel/panic.c!", bug.kernelMessage());
        assertThrows(IllegalArgumentException.class, () -> new KernelBugException("x.c", 0, "c"));
    }

    @Test
    void errnoNamesAndNumbers() {
        assertEquals(-22, Errno.EINVAL.negative());
        assertEquals("-ERANGE", Errno.ERANGE.asReturn());
        assertEquals(75, Errno.EOVERFLOW.number());
    }
}
