package io.jipc.internal.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.BeanDeserializerFactory;
import tools.jackson.databind.deser.SettableBeanProperty;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.bean.BeanDeserializer;
import tools.jackson.databind.introspect.AnnotatedWithParams;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Binds a parsed JSON object to a plain record by calling its canonical constructor with the members' values,
 * for the input Jackson's bean deserializer takes without any conversion, so the record is the one Jackson's
 * {@code treeToValue} would make, without Jackson's per-call parser and context (~800 bytes and ~200 ns for a
 * record of two components).
 *
 * <p>{@link #forType} makes one only where that is proven from Jackson itself, else returns null and payloads
 * keep the Jackson path: the mapper passes {@link #supports} (configured as a default {@code JsonMapper} for
 * reading, but for the two features no input read here depends on); the class is a non-generic record without
 * Jackson or {@code java.beans} annotations whose components are {@code int}, {@code long}, {@code double},
 * {@code boolean}, {@code String}, the boxes of the four or such records (not itself, directly or not); and
 * Jackson's root deserializer for it is a standard bean deserializer, with no any-setter, that creates it
 * through the canonical constructor from exactly the components, in order.
 *
 * <p>{@link #read} takes an object whose members are exactly the components, each of a node type that needs no
 * conversion: an int for {@code int}, an int or a long for {@code long}, a double, an int or a long for
 * {@code double}, a boolean, a string, an object the nested reader takes for a record component, or null for a
 * reference type. Anything else (a missing, extra or differently typed member, a constructor that throws)
 * returns null, and the caller binds the payload through Jackson, which then converts or refuses it in its own
 * words (a constructor that threw is called again there). Immutable and thread-safe.
 */
public final class RecordReader {
    static final byte INT = 0, LONG = 1, DOUBLE = 2, BOOLEAN = 3, STRING = 4, BOX_INT = 5, BOX_LONG = 6,
            BOX_DOUBLE = 7, BOX_BOOLEAN = 8, RECORD = 9;

    /**
     * Deserialization features that cannot change what {@link #read} takes: unknown members are never read here
     * (the members must be exactly the components), and a tree has no trailing tokens. jipc's default mapper
     * differs from Jackson's in these two.
     */
    private static final int ANY_INPUT = DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES.getMask()
        | DeserializationFeature.FAIL_ON_TRAILING_TOKENS.getMask();

    final String[] names;
    /** Per component: its name in double quotes as bytes when it is plain ASCII, else null. */
    final byte[][] quotedNames;
    final byte[] kinds;
    /** Per component: the reader of a record component, else null. */
    final RecordReader[] nested;
    /** The canonical constructor, as {@code (Object[]) Object}. */
    final MethodHandle constructor;
    /** The index of a {@code String} component named {@code id}, else -1 (see {@link WireMessage#dataId}). */
    final int stringId;

    private RecordReader(String[] names, byte[] kinds, RecordReader[] nested, MethodHandle constructor) {
        this.names = names;
        this.kinds = kinds;
        this.nested = nested;
        this.constructor = constructor;
        this.quotedNames = new byte[names.length][];
        int id = -1;
        for (int i = 0; i < names.length; i++) {
            if (names[i].chars().allMatch(c -> c < 0x80)) { // a Java identifier: no quote, backslash or control
                quotedNames[i] = ("\"" + names[i] + "\"").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }
            if (kinds[i] == STRING && names[i].equals("id")) {
                id = i;
            }
        }
        this.stringId = id;
    }

    /**
     * Whether {@code mapper} reads records as a default {@code JsonMapper} does: no modules, mixins, naming
     * strategy, problem handlers or custom deserializer factory; default deserialization and mapper features and
     * introspectors. Only then may {@link #forType} be asked. Never throws.
     */
    public static boolean supports(JsonMapper mapper) {
        try {
            DeserializationConfig c = mapper.deserializationConfig();
            DeserializationConfig d = Reference.MAPPER.deserializationConfig();
            return mapper.registeredModules().isEmpty() && c.mixInCount() == 0 && c.getPropertyNamingStrategy() == null
                && c.getProblemHandlers() == null && c.getActiveView() == null
                && (c.getDeserializationFeatures() & ~ANY_INPUT) == (d.getDeserializationFeatures() & ~ANY_INPUT)
                && RecordWriter.introspectsAsDefault(c, d)
                && c.getDefaultNullHandling().equals(d.getDefaultNullHandling())
                && mapper.rebuild().deserializerFactory() == BeanDeserializerFactory.instance;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * @param mapper a mapper that {@link #supports} accepted
     * @return a reader for records of exactly {@code type}, or null if the Jackson path must bind them
     */
    public static RecordReader forType(Class<?> type, JsonMapper mapper) {
        return forType(type, mapper, new HashSet<>());
    }

    /** @param open the records being built around this one (a record that contains itself gets no reader) */
    private static RecordReader forType(Class<?> type, JsonMapper mapper, Set<Class<?>> open) {
        if (!type.isRecord() || type.getTypeParameters().length > 0 || RecordWriter.annotated(type) || !open.add(type)) {
            return null;
        }
        try {
            RecordComponent[] components = type.getRecordComponents();
            int n = components.length;
            Class<?>[] types = new Class<?>[n];
            String[] names = new String[n];
            byte[] kinds = new byte[n];
            RecordReader[] nested = new RecordReader[n];
            DeserializationConfig config = mapper.deserializationConfig();
            if (overridden(config, type)) {
                return null;
            }
            for (int i = 0; i < n; i++) {
                types[i] = components[i].getType();
                if (overridden(config, types[i])) {
                    return null;
                }
                names[i] = components[i].getName();
                kinds[i] = kind(types[i]);
                if (kinds[i] < 0 || (kinds[i] == RECORD && (nested[i] = forType(types[i], mapper, open)) == null)) {
                    return null;
                }
            }
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            DeserializationContext ctxt = mapper._deserializationContext();
            ValueDeserializer<Object> root = ctxt.findRootValueDeserializer(mapper.constructType(type));
            if (n == 0 || root.getClass() != BeanDeserializer.class || ((BeanDeserializer) root).hasAnySetter()
                    || !canonical.trySetAccessible()) {
                return null;
            }
            ValueInstantiator inst = ((BeanDeserializer) root).getValueInstantiator();
            AnnotatedWithParams creator = inst.getWithArgsCreator();
            SettableBeanProperty[] args = inst.canCreateFromObjectWith() ? inst.getFromObjectArguments(ctxt.getConfig()) : null;
            if (creator == null || !canonical.equals(creator.getAnnotated()) || args == null || args.length != n) {
                return null;
            }
            for (int i = 0; i < n; i++) {
                if (!names[i].equals(args[i].getName()) || args[i].getCreatorIndex() != i
                        || args[i].getType().getRawClass() != types[i] || args[i].getValueTypeDeserializer() != null) {
                    return null;
                }
            }
            MethodHandle h = MethodHandles.lookup().unreflectConstructor(canonical)
                .asType(MethodType.methodType(Object.class, types))
                .asSpreader(Object[].class, n);
            open.remove(type);
            return new RecordReader(names, kinds, nested, h);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * @return the record made from {@code data}, or null when {@code data} is not exactly what this reader takes
     *         (see the class comment); never throws
     */
    public Object read(JsonNode data) {
        if (!(data instanceof ObjectNode) || data.size() != names.length) {
            return null;
        }
        Object[] args = new Object[names.length];
        for (int i = 0; i < names.length; i++) {
            JsonNode v = data.get(names[i]);
            if (v == null) {
                return null;
            }
            Object a = kinds[i] == RECORD ? (v.isObject() ? nested[i].read(v) : null) : value(kinds[i], v);
            if (a == null && (kinds[i] < STRING || !v.isNull())) {
                return null;
            }
            args[i] = a;
        }
        try {
            return constructor.invokeExact(args);
        } catch (Throwable t) {
            return null; // Jackson calls it again and reports the failure as it does
        }
    }

    /** @return the argument {@code v} gives a component of {@code kind}, or null (also for a null node) */
    private static Object value(byte kind, JsonNode v) {
        switch (kind) {
            case INT, BOX_INT:
                return v.isInt() ? v.intValue() : null;
            case LONG, BOX_LONG:
                return v.isInt() || v.isLong() ? v.longValue() : null;
            case DOUBLE, BOX_DOUBLE:
                return v.isDouble() || v.isInt() || v.isLong() ? v.doubleValue() : null;
            case BOOLEAN, BOX_BOOLEAN:
                return v.isBoolean() ? v.booleanValue() : null;
            default:
                return v.isString() ? v.asString() : null;
        }
    }

    /** Whether the mapper was given per-type settings for {@code t} (null handling, formats, …) a default one lacks. */
    private static boolean overridden(DeserializationConfig config, Class<?> t) {
        Object o = config.findConfigOverride(t);
        return o != null && o != Reference.MAPPER.deserializationConfig().findConfigOverride(t);
    }

    private static byte kind(Class<?> t) {
        if (t == int.class) return INT;
        if (t == long.class) return LONG;
        if (t == double.class) return DOUBLE;
        if (t == boolean.class) return BOOLEAN;
        if (t == String.class) return STRING;
        if (t == Integer.class) return BOX_INT;
        if (t == Long.class) return BOX_LONG;
        if (t == Double.class) return BOX_DOUBLE;
        if (t == Boolean.class) return BOX_BOOLEAN;
        if (t.isRecord()) return RECORD;
        return -1;
    }

    /** A mapper as {@code JsonMapper.builder().build()} makes it, the reference for {@link #supports}. */
    private static final class Reference {
        static final JsonMapper MAPPER = JsonMapper.builder().build();
    }
}
