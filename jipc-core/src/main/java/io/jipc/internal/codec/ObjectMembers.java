package io.jipc.internal.codec;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The members of a parsed JSON object, as the map inside an {@code ObjectNode}: a {@link Map} with the
 * behaviour of a {@link java.util.LinkedHashMap} in insertion order (a repeated key keeps its position and
 * takes the new value; entries write through until removed; iterators are fail-fast and support
 * {@code remove}; null keys and values allowed), built for the small objects of message payloads.
 *
 * <p>Keys and values sit side by side in one array in insertion order ({@code key, value, key, value, …}),
 * with no object per member; keys are found by a linear scan while there are at most {@value #LINEAR_MAX},
 * through a hash index of positions beyond that (rebuilt when a removal shifts them). An entry object is
 * made only when {@link #entrySet()} is iterated; it finds its key again when the map has changed. An object
 * of two members costs 72 bytes (this map and an array of four slots) instead of a {@code LinkedHashMap}'s
 * 170. Not thread-safe, like the map it replaces.
 */
final class ObjectMembers extends AbstractMap<String, JsonNode> {
    private static final int LINEAR_MAX = 8;
    private static final Object[] NONE = {};
    /** Key of member i at 2i, its value at 2i + 1; unused slots are null. */
    private Object[] pairs;
    private int size;
    /** Position of each key, only while there are more than {@link #LINEAR_MAX}; null when stale. */
    private HashMap<String, Integer> index;
    private int modCount;

    /** An empty map; room for members is made at the first {@link #put}. */
    ObjectMembers() {
        pairs = NONE;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        return find(key) >= 0;
    }

    @Override
    public JsonNode get(Object key) {
        int i = find(key);
        return i < 0 ? null : value(i);
    }

    @Override
    public JsonNode put(String key, JsonNode value) {
        int known = find(key);
        if (known >= 0) {
            JsonNode old = value(known);
            pairs[2 * known + 1] = value;
            return old;
        }
        if (2 * size == pairs.length) {
            pairs = Arrays.copyOf(pairs, Math.max(4, size * 4)); // room for 2 members, then doubling
        }
        pairs[2 * size] = key;
        pairs[2 * size + 1] = value;
        size++;
        modCount++;
        if (index != null) {
            index.put(key, size - 1);
        }
        return null;
    }

    @Override
    public JsonNode remove(Object key) {
        int i = find(key);
        if (i < 0) {
            return null;
        }
        JsonNode old = value(i);
        removeAt(i);
        return old;
    }

    @Override
    public void clear() {
        Arrays.fill(pairs, 0, 2 * size, null);
        size = 0;
        index = null;
        modCount++;
    }

    @Override
    public Set<Map.Entry<String, JsonNode>> entrySet() {
        return new Entries();
    }

    private String key(int i) {
        return (String) pairs[2 * i];
    }

    private JsonNode value(int i) {
        return (JsonNode) pairs[2 * i + 1];
    }

    /** @return the position of {@code key}, or -1 */
    private int find(Object key) {
        if (size > LINEAR_MAX) {
            HashMap<String, Integer> idx = index;
            if (idx == null) {
                idx = new HashMap<>(size * 2);
                for (int k = 0; k < size; k++) {
                    idx.put(key(k), k);
                }
                index = idx;
            }
            Integer at = idx.get(key);
            return at == null ? -1 : at;
        }
        Object[] p = pairs;
        for (int i = 0; i < size; i++) {
            Object k = p[2 * i];
            if (k == key || (key != null && key.equals(k))) {
                return i;
            }
        }
        return -1;
    }

    private void removeAt(int i) {
        String key = key(i);
        System.arraycopy(pairs, 2 * i + 2, pairs, 2 * i, 2 * (size - i - 1));
        size--;
        pairs[2 * size] = null;
        pairs[2 * size + 1] = null;
        modCount++;
        if (index != null) {
            if (i == size) {
                index.remove(key); // the last member: no position moved
            } else {
                index = null; // positions after i moved: rebuilt when next needed
            }
        }
    }

    /**
     * A view of one member, made while iterating: reads and writes the map's current value for its key while the
     * key is there (found again by key when the map has changed since); after its key is removed, it keeps the
     * last value it saw and writes go nowhere, as a removed {@code LinkedHashMap} entry's do.
     */
    private final class Member implements Map.Entry<String, JsonNode> {
        private final String key;
        /** Where the key was, a hint checked before use. */
        private int at;
        /** The value while detached (key removed). */
        private JsonNode detached;

        Member(int at) {
            this.key = key(at);
            this.at = at;
        }

        /** @return the key's current position, or -1 once it is gone (the value is then kept in {@link #detached}) */
        private int locate() {
            if (at >= 0 && at < size && pairs[2 * at] == key) {
                return at;
            }
            if (at >= 0) {
                at = find(key); // -1 when removed: detached from now on
            }
            return at;
        }

        @Override
        public String getKey() {
            return key;
        }

        @Override
        public JsonNode getValue() {
            int i = locate();
            return i < 0 ? detached : value(i);
        }

        @Override
        public JsonNode setValue(JsonNode v) {
            int i = locate();
            JsonNode old;
            if (i < 0) {
                old = detached;
                detached = v;
            } else {
                old = value(i);
                pairs[2 * i + 1] = v;
            }
            return old;
        }

        /** Called before this member's key is removed through an iterator. */
        void detach() {
            detached = value(at);
            at = -1;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && Objects.equals(key, e.getKey()) && Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(key) ^ Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return key + "=" + getValue();
        }
    }

    private final class Entries extends AbstractSet<Map.Entry<String, JsonNode>> {
        @Override
        public int size() {
            return size;
        }

        @Override
        public void clear() {
            ObjectMembers.this.clear();
        }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Map.Entry<?, ?> e)) {
                return false;
            }
            int i = find(e.getKey());
            return i >= 0 && Objects.equals(value(i), e.getValue());
        }

        @Override
        public boolean remove(Object o) {
            if (!(o instanceof Map.Entry<?, ?> e)) {
                return false;
            }
            int i = find(e.getKey());
            if (i < 0 || !Objects.equals(value(i), e.getValue())) {
                return false;
            }
            removeAt(i);
            return true;
        }

        @Override
        public Iterator<Map.Entry<String, JsonNode>> iterator() {
            return new Iterator<>() {
                private int next;
                private Member last;
                private int expected = modCount;

                @Override
                public boolean hasNext() {
                    return next < size;
                }

                @Override
                public Map.Entry<String, JsonNode> next() {
                    if (modCount != expected) {
                        throw new ConcurrentModificationException();
                    }
                    if (next >= size) {
                        throw new NoSuchElementException();
                    }
                    last = new Member(next++);
                    return last;
                }

                @Override
                public void remove() {
                    if (last == null) {
                        throw new IllegalStateException();
                    }
                    if (modCount != expected) {
                        throw new ConcurrentModificationException();
                    }
                    int i = next - 1;
                    last.detach();
                    removeAt(i);
                    next = i;
                    last = null;
                    expected = modCount;
                }
            };
        }
    }
}
