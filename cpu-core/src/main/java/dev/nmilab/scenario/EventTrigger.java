package dev.nmilab.scenario;

import java.util.Objects;

/** When a scheduled event fires: the three trigger forms of a scenario file. */
public sealed interface EventTrigger {

    /** {@code at: 2s}: at this virtual time. */
    record AtTime(long nanos) implements EventTrigger {
        public AtTime {
            if (nanos < 0) {
                throw new IllegalArgumentException("negative time " + nanos);
            }
        }
    }

    /** {@code insn: 12345}: once {@code cpu} has executed this many instructions. */
    record AfterInstructions(int cpu, long count) implements EventTrigger {
        public AfterInstructions {
            if (cpu < 0 || count < 1) {
                throw new IllegalArgumentException("bad instruction trigger cpu=" + cpu + " count=" + count);
            }
        }
    }

    /** {@code symbol: name}: the {@code count}-th time {@code cpu} reaches {@code symbol}. */
    record AtSymbol(int cpu, String symbol, int count) implements EventTrigger {
        public AtSymbol {
            Objects.requireNonNull(symbol, "symbol");
            if (cpu < 0 || count < 1) {
                throw new IllegalArgumentException("bad symbol trigger cpu=" + cpu + " count=" + count);
            }
        }
    }
}
