package io.jipc.internal.dispatch;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Handlers by message type. Registration is rare and may race with dispatch; dispatch reads a stable
 * snapshot without locking. Thread-safe. Type names are plain strings: {@code "__proto__"} or
 * {@code "constructor"} are ordinary keys here.
 *
 * @param <H> handler type
 */
public final class HandlerTable<H> {
    private final Map<String, List<H>> byType = new ConcurrentHashMap<>();

    /** Adds {@code handler} after those already registered for {@code type}. */
    public void add(String type, H handler) {
        byType.computeIfAbsent(type, t -> new CopyOnWriteArrayList<>()).add(handler);
    }

    /** Removes every handler of {@code type}. */
    public void remove(String type) {
        byType.remove(type);
    }

    /** Removes one handler of {@code type}; @return whether it was there */
    public boolean remove(String type, H handler) {
        List<H> list = byType.get(type);
        return list != null && list.remove(handler);
    }

    /** @return the handlers of {@code type} in registration order (empty when none); do not modify */
    public List<H> get(String type) {
        List<H> list = byType.get(type);
        return list == null ? List.of() : list;
    }
}
