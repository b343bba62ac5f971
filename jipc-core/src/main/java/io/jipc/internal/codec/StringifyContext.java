package io.jipc.internal.codec;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.core.TokenStreamContext;

/**
 * The write context of a {@link StringifyGenerator}: one open array or object (or the root), as
 * serializers see it through {@code streamWriteContext()}. It answers like the context of Jackson's
 * tree-building generator (current name and value; parent) and also remembers the names written in
 * an object so that a repeated one can be detected.
 *
 * <p>Instances are reused: each keeps its child for the next level of nesting. Not thread-safe.
 */
final class StringifyContext extends TokenStreamContext {
    private static final int LINEAR_NAMES = 8;

    private final StringifyContext parent;
    private StringifyContext child;
    private Object value;
    private String name;
    private boolean awaitsValue;
    /**
     * The first names of an object, searched linearly; beyond {@link #LINEAR_NAMES} a set takes over.
     * Entries from {@link #nameCount} on are null.
     */
    private String[] names;
    private int nameCount;
    private Set<String> nameSet;

    StringifyContext(StringifyContext parent) {
        this.parent = parent;
        _nestingDepth = parent == null ? 0 : parent._nestingDepth + 1;
    }

    /** Makes this context a fresh one of {@code type} (a {@link TokenStreamContext} TYPE constant). */
    StringifyContext reset(int type, Object currentValue) {
        _type = type;
        _index = -1;
        value = currentValue;
        name = null;
        awaitsValue = false;
        for (int i = 0; i < nameCount; i++) {
            names[i] = null; // drop the previous object's names, and only those
        }
        nameCount = 0;
        nameSet = null;
        return this;
    }

    /** The context one level deeper, reset to {@code type}. */
    StringifyContext child(int type, Object currentValue) {
        if (child == null) {
            child = new StringifyContext(this);
        }
        return child.reset(type, currentValue);
    }

    /** The context one level deeper as last used, or null. */
    StringifyContext nested() {
        return child;
    }

    /** @return the index of the entry (array value or object name) being started */
    int nextEntry() {
        return ++_index;
    }

    /** Whether a name was written and its value not yet begun. */
    boolean awaitsValue() {
        return awaitsValue;
    }

    void named(String n) {
        name = n;
        awaitsValue = true;
    }

    void valueStarted() {
        awaitsValue = false;
    }

    /** Records {@code n} as written in this object; false if it already was. */
    boolean addName(String n) {
        if (nameSet != null) {
            return nameSet.add(n);
        }
        for (int i = 0; i < nameCount; i++) {
            if (names[i].equals(n)) {
                return false;
            }
        }
        if (nameCount == LINEAR_NAMES) {
            nameSet = new HashSet<>(Arrays.asList(names));
            return nameSet.add(n);
        }
        if (names == null) {
            names = new String[LINEAR_NAMES];
        }
        names[nameCount++] = n;
        return true;
    }

    /** Drops every reference to user data. */
    void clear() {
        reset(TYPE_ROOT, null);
    }

    @Override public StringifyContext getParent() { return parent; }
    @Override public String currentName() { return name; }
    @Override public Object currentValue() { return value; }
    @Override public void assignCurrentValue(Object v) { value = v; }
}
