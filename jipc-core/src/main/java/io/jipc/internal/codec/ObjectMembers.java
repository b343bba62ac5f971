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
 * takes the new value; entries stay valid and write through until removed; iterators are fail-fast and
 * support {@code remove}; null keys and values allowed), built for the small objects of message payloads.
 *
 * <p>Entries sit in an array in insertion order and are found by a linear scan while there are at most
 * {@value #LINEAR_MAX}; a hash index is added beyond that. An object of two members costs about 110 bytes
 * instead of a {@code LinkedHashMap}'s 170. Not thread-safe, like the map it replaces.
 */
final class ObjectMembers extends AbstractMap<String, JsonNode> {
    private static final int LINEAR_MAX = 8;
    private static final Member[] NONE = {};
    private Member[] members;
    private int size;
    /** Entries by key, only while there are more than {@link #LINEAR_MAX}. */
    private HashMap<String, Member> index;
    private int modCount;
    private Set<Map.Entry<String, JsonNode>> entries;

    /** An empty map; room for members is made at the first {@link #put}. */
    ObjectMembers() {
        members = NONE;
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
        return member(key) != null;
    }

    @Override
    public JsonNode get(Object key) {
        Member m = member(key);
        return m == null ? null : m.value;
    }

    @Override
    public JsonNode put(String key, JsonNode value) {
        Member known = member(key);
        if (known != null) {
            JsonNode old = known.value;
            known.value = value;
            return old;
        }
        if (size == members.length) {
            members = Arrays.copyOf(members, Math.max(4, size * 2));
        }
        Member m = new Member(key, value);
        members[size++] = m;
        modCount++;
        if (index != null) {
            index.put(key, m);
        } else if (size > LINEAR_MAX) {
            index = new HashMap<>(size * 2);
            for (int k = 0; k < size; k++) {
                index.put(members[k].key, members[k]);
            }
        }
        return null;
    }

    @Override
    public JsonNode remove(Object key) {
        int i = find(key);
        if (i < 0) {
            return null;
        }
        JsonNode old = members[i].value;
        removeAt(i);
        return old;
    }

    @Override
    public void clear() {
        Arrays.fill(members, 0, size, null);
        size = 0;
        index = null;
        modCount++;
    }

    @Override
    public Set<Map.Entry<String, JsonNode>> entrySet() {
        Set<Map.Entry<String, JsonNode>> e = entries;
        if (e == null) {
            e = new Entries();
            entries = e;
        }
        return e;
    }

    /** @return the entry of {@code key}, or null */
    private Member member(Object key) {
        if (index != null) {
            return index.get(key);
        }
        for (int i = 0; i < size; i++) {
            Member m = members[i];
            if (m.key == key || (key != null && key.equals(m.key))) {
                return m;
            }
        }
        return null;
    }

    /** @return the position of {@code key}, or -1 */
    private int find(Object key) {
        Member m = member(key);
        if (m != null) {
            for (int i = 0; i < size; i++) {
                if (members[i] == m) {
                    return i;
                }
            }
        }
        return -1;
    }

    private void removeAt(int i) {
        Member m = members[i];
        System.arraycopy(members, i + 1, members, i, size - i - 1);
        members[--size] = null;
        modCount++;
        if (index != null) {
            index.remove(m.key);
        }
    }

    /** One key and its value; stays valid (writing through) until removed, like a LinkedHashMap entry. */
    private static final class Member implements Map.Entry<String, JsonNode> {
        final String key;
        JsonNode value;

        Member(String key, JsonNode value) {
            this.key = key;
            this.value = value;
        }

        @Override
        public String getKey() {
            return key;
        }

        @Override
        public JsonNode getValue() {
            return value;
        }

        @Override
        public JsonNode setValue(JsonNode v) {
            JsonNode old = value;
            value = v;
            return old;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && Objects.equals(key, e.getKey()) && Objects.equals(value, e.getValue());
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(key) ^ Objects.hashCode(value);
        }

        @Override
        public String toString() {
            return key + "=" + value;
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
            Member m = member(e.getKey());
            return m != null && Objects.equals(m.value, e.getValue());
        }

        @Override
        public boolean remove(Object o) {
            if (!(o instanceof Map.Entry<?, ?> e)) {
                return false;
            }
            int i = find(e.getKey());
            if (i < 0 || !Objects.equals(members[i].value, e.getValue())) {
                return false;
            }
            removeAt(i);
            return true;
        }

        @Override
        public Iterator<Map.Entry<String, JsonNode>> iterator() {
            return new Iterator<>() {
                private int next;
                private int last = -1;
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
                    last = next++;
                    return members[last];
                }

                @Override
                public void remove() {
                    if (last < 0) {
                        throw new IllegalStateException();
                    }
                    if (modCount != expected) {
                        throw new ConcurrentModificationException();
                    }
                    removeAt(last);
                    next = last;
                    last = -1;
                    expected = modCount;
                }
            };
        }
    }
}
