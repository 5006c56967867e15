package dev.nmilab.nmi;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One list of handlers per NMI type (arch/x86/kernel/nmi.c: nmi_desc, register_nmi_handler,
 * unregister_nmi_handler, nmi_handle). Every handler on the list runs; their counts add up.
 */
public final class NmiHandlers {
    /** NMI_FLAG_FIRST: put the handler at the head of its list. */
    public static final int NMI_FLAG_FIRST = 1;

    private record Action(String name, NmiHandler handler) {
    }

    private final Map<NmiType, List<Action>> lists = new EnumMap<>(NmiType.class);

    public NmiHandlers() {
        for (NmiType type : NmiType.values()) {
            lists.put(type, new ArrayList<>());
        }
    }

    public void registerNmiHandler(NmiType type, NmiHandler handler, int flags, String name) {
        List<Action> list = lists.get(type);
        if (list.stream().anyMatch(a -> a.name.equals(name))) {
            throw new IllegalArgumentException("NMI handler " + name + " already registered on " + type);
        }
        Action action = new Action(name, handler);
        if ((flags & NMI_FLAG_FIRST) != 0) {
            list.add(0, action);
        } else {
            list.add(action);
        }
    }

    public void unregisterNmiHandler(NmiType type, String name) {
        if (!lists.get(type).removeIf(a -> a.name.equals(name))) {
            throw new IllegalArgumentException("no NMI handler " + name + " on " + type);
        }
    }

    /** nmi_handle: run every handler of {@code type}, return the sum of what they handled. */
    public int nmiHandle(NmiType type, NmiContext context) {
        int handled = 0;
        for (Action action : List.copyOf(lists.get(type))) {
            handled += action.handler.handle(type, context);
        }
        return handled;
    }

    public List<String> names(NmiType type) {
        return lists.get(type).stream().map(Action::name).toList();
    }
}
