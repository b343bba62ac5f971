package io.jipc.internal.dispatch;

import io.jipc.internal.codec.RecordRoute;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Handlers by message type, and the {@link RecordRoute}s they give: a type whose handlers all take the same record
 * ({@link BoundHandler}) has its payloads read straight into it, as long as no handler of every type
 * ({@link #addedAnyHandler}) wants the tree. Registration is rare and may race with dispatch; dispatch and route
 * lookups read stable snapshots without locking. Thread-safe. Type names are plain strings: {@code "__proto__"} or
 * {@code "constructor"} are ordinary keys here.
 *
 * @param <H> handler type
 */
public final class HandlerTable<H> implements RecordRoute.Table {
    private final Map<String, List<H>> byType = new ConcurrentHashMap<>();
    /** The routes of the handlers registered now; replaced whole on each change. */
    private volatile Map<String, TypedRoute<H>> routes = new HashMap<>();
    /** Whether a handler of every message was added (guarded by this). */
    private boolean anyHandlers;

    /** Adds {@code handler} after those already registered for {@code type}. */
    public synchronized void add(String type, H handler) {
        byType.computeIfAbsent(type, t -> new CopyOnWriteArrayList<>()).add(handler);
        reroute();
    }

    /** Removes every handler of {@code type}. */
    public synchronized void remove(String type) {
        byType.remove(type);
        reroute();
    }

    /** Removes one handler of {@code type}; @return whether it was there */
    public synchronized boolean remove(String type, H handler) {
        List<H> list = byType.get(type);
        boolean removed = list != null && list.remove(handler);
        reroute();
        return removed;
    }

    /** Notes that a handler of every message, which takes the tree, was added: no routes from now on. */
    public synchronized void addedAnyHandler() {
        anyHandlers = true;
        reroute();
    }

    /** @return the handlers of {@code type} in registration order (empty when none); do not modify */
    public List<H> get(String type) {
        List<H> list = byType.get(type);
        return list == null ? List.of() : list;
    }

    @Override
    public TypedRoute<H> routeOf(String type) {
        return routes.get(type);
    }

    private void reroute() {
        Map<String, TypedRoute<H>> next = new HashMap<>();
        if (!anyHandlers) {
            byType.forEach((type, list) -> {
                TypedRoute<H> route = TypedRoute.of(list);
                if (route != null) {
                    next.put(type, route);
                }
            });
        }
        routes = next;
    }
}
