package dev.nmilab.event;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Delivers CPU events to subscribers in publication order (single-threaded, deterministic). */
public final class EventBus {
    private final List<Consumer<CpuEvent>> subscribers = new ArrayList<>();

    public void subscribe(Consumer<CpuEvent> subscriber) {
        subscribers.add(subscriber);
    }

    public void publish(CpuEvent event) {
        for (Consumer<CpuEvent> subscriber : subscribers) {
            subscriber.accept(event);
        }
    }
}
