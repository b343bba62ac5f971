package io.jipc.internal.dispatch;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A copy-on-write list of handlers, as small as an idle connection's client needs it to be: one object
 * and a shared empty array until a handler is added (a {@code CopyOnWriteArrayList} costs three objects,
 * about 56 bytes, even when empty).
 *
 * <p>Thread-safe: {@link #add} may race with iteration; an iteration sees the handlers present when it
 * began. Handlers are kept in the order added; duplicates are allowed.
 *
 * @param <T> the handler type
 */
public final class HandlerList<T> implements Iterable<T> {
    private static final Object[] EMPTY = {};
    private volatile Object[] items = EMPTY;

    /** Appends {@code handler}. */
    public synchronized void add(T handler) {
        Object[] now = items;
        Object[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = handler;
        items = next;
    }

    /** @return whether no handler was added */
    public boolean isEmpty() {
        return items.length == 0;
    }

    /** @return an iterator over the handlers present now */
    @Override
    public Iterator<T> iterator() {
        Object[] snapshot = items;
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < snapshot.length;
            }

            @Override
            @SuppressWarnings("unchecked")
            public T next() {
                if (next >= snapshot.length) {
                    throw new NoSuchElementException();
                }
                return (T) snapshot[next++];
            }
        };
    }
}
