package dev.nmilab.stub;

import dev.nmilab.event.ConsoleLine;
import dev.nmilab.event.CpuEvent;
import dev.nmilab.event.CpuHalted;
import dev.nmilab.event.CpuShutdown;
import dev.nmilab.event.ExceptionDelivered;
import dev.nmilab.event.GateCalled;
import dev.nmilab.event.IretExecuted;
import dev.nmilab.event.NmiDropped;
import dev.nmilab.event.NmiLatched;
import dev.nmilab.event.Note;
import dev.nmilab.event.PortAccess;

/** One human-readable trace line per event, indented by nesting depth. */
public final class TraceFormat {
    private TraceFormat() {
    }

    public static String line(CpuEvent event) {
        String head = String.format("[%12d ns] cpu%d ", event.timeNs(), event.cpu());
        return head + switch (event) {
            case ExceptionDelivered e -> indent(e.depth() - 1) + String.format("%s from %s -> %s%s frame 0x%x%s",
                    e.name(), e.from(), e.handler(), e.ist() == 0 ? "" : " IST" + e.ist(), e.frame(),
                    e.errorCode() == null ? "" : String.format(" error 0x%x", e.errorCode()));
            case IretExecuted i -> indent(i.depth()) + String.format("iretq at %s -> %s (frame 0x%x)%s", i.at(), i.to(),
                    i.frame(), i.unblockedNmi() ? ", NMIs unblocked" : "");
            case NmiLatched l -> String.format("NMI (%s) latched at %s: NMIs blocked", l.source(), l.at());
            case NmiDropped d -> String.format("NMI (%s) dropped at %s: one already latched (%d dropped)", d.source(),
                    d.at(), d.droppedSoFar());
            case GateCalled g -> String.format("call %s from %s (rdi=0x%x rsi=0x%x)", g.gate(), g.caller(), g.rdi(),
                    g.rsi());
            case PortAccess p -> String.format("%s port 0x%x size %d value 0x%x at %s (%s)", p.write() ? "out" : "in",
                    p.port(), p.size(), p.value(), p.at(), p.device());
            case CpuHalted h -> (h.halted() ? "hlt at " : "woken at ") + h.at();
            case CpuShutdown s -> "SHUTDOWN (" + s.reason() + ") at " + s.at() + ": " + String.join("; ", s.chain());
            case ConsoleLine c -> "console: " + c.text();
            case Note n -> "NOTE " + n.kind() + ": " + n.text();
        };
    }

    private static String indent(int depth) {
        return "  ".repeat(Math.max(0, depth));
    }
}
