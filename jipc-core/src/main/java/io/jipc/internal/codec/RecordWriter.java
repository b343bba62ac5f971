package io.jipc.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.ser.BeanPropertyWriter;
import tools.jackson.databind.ser.BeanSerializer;
import tools.jackson.databind.ser.BeanSerializerFactory;
import tools.jackson.databind.ser.PropertyWriter;
import tools.jackson.databind.ser.UnrolledBeanSerializer;
import tools.jackson.databind.ser.bean.BeanSerializerBase;
import tools.jackson.databind.ser.jdk.BooleanSerializer;
import tools.jackson.databind.ser.jdk.NumberSerializers;
import tools.jackson.databind.ser.jdk.StringSerializer;
import tools.jackson.databind.ser.std.NullSerializer;

/**
 * Writes a plain record through a {@link StringifyGenerator}'s token methods, making exactly the calls
 * Jackson's bean serializer makes for it ({@code writeStartObject(record)}, then per component
 * {@code writeName} and {@code writeNumber}/{@code writeString}/{@code writeBoolean}/{@code writeNull} or a
 * nested record, then {@code writeEndObject}), so the bytes, refusals and errors are the Jackson path's by
 * construction, without Jackson's per-call context, property dispatch or boxing of primitives. The names go
 * through {@link StringifyGenerator#writeComponentName}: the bytes {@code writeName} would write, encoded once
 * when the writer is made.
 *
 * <p>{@link #forType} makes one only where that equivalence is proven from Jackson itself, else returns
 * null and the payload keeps the Jackson path: the mapper passes {@link #supports} (configured as a default
 * {@code JsonMapper}: no modules, mixins, naming strategy, view, filters, root name, custom serializer
 * factory or null serializer; default mapper and serialization features), the class and every nested one
 * is a non-generic record without Jackson or {@code java.beans} annotations, and the root serializer Jackson
 * finds for it is a standard bean serializer whose properties are exactly the components, in order, read
 * through their accessors, each with the standard serializer of its type (int, long, short, double, float,
 * boolean, their boxes, String, or an eligible record), no type id, view, suppression or custom nulls.
 *
 * <p>Accessors run as under Jackson, in Jackson's order; what one throws propagates as is (the generator's
 * caller treats it as Jackson's wrapped error). Immutable and thread-safe; {@link #write} allocates nothing.
 */
final class RecordWriter {
    private static final byte INT = 0, LONG = 1, SHORT = 2, DOUBLE = 3, FLOAT = 4, BOOLEAN = 5, BOXED = 6,
            STRING = 7, RECORD = 8;
    private static final MethodType OBJECT_GETTER = MethodType.methodType(Object.class, Object.class);

    private final String[] names;
    /** Per component: its name as {@code writeName} writes it (a comma from the second on, the quoted name, a colon). */
    private final byte[][] encodedNames;
    private final byte[] kinds;
    /** Per component: {@code (Object)T}, T the primitive for primitive kinds, else Object. */
    private final MethodHandle[] getters;
    private final RecordWriter[] nested;

    private RecordWriter(int n) {
        names = new String[n];
        encodedNames = new byte[n][];
        kinds = new byte[n];
        getters = new MethodHandle[n];
        nested = new RecordWriter[n];
    }

    /** Writes {@code value}, an instance of the record this writer was made for. */
    void write(StringifyGenerator g, Object value) throws Throwable {
        g.writeStartObject(value);
        for (int i = 0; i < names.length; i++) {
            MethodHandle h = getters[i];
            g.writeComponentName(names[i], encodedNames[i]);
            switch (kinds[i]) {
                case INT -> g.writeNumber((int) h.invokeExact(value));
                case LONG -> g.writeNumber((long) h.invokeExact(value));
                case SHORT -> g.writeNumber((short) h.invokeExact(value));
                case DOUBLE -> g.writeNumber((double) h.invokeExact(value));
                case FLOAT -> g.writeNumber((float) h.invokeExact(value));
                case BOOLEAN -> g.writeBoolean((boolean) h.invokeExact(value));
                default -> writeReference(g, i, (Object) h.invokeExact(value));
            }
        }
        g.writeEndObject();
    }

    private void writeReference(StringifyGenerator g, int i, Object v) throws Throwable {
        if (v == null) {
            g.writeNull(); // Jackson's default null serializer
        } else if (kinds[i] == STRING) {
            g.writeString((String) v);
        } else if (kinds[i] == RECORD) {
            nested[i].write(g, v);
        } else if (v instanceof Integer n) {
            g.writeNumber(n.intValue());
        } else if (v instanceof Long n) {
            g.writeNumber(n.longValue());
        } else if (v instanceof Short n) {
            g.writeNumber(n.shortValue());
        } else if (v instanceof Double n) {
            g.writeNumber(n.doubleValue());
        } else if (v instanceof Float n) {
            g.writeNumber(n.floatValue());
        } else {
            g.writeBoolean((Boolean) v);
        }
    }

    /**
     * Whether {@code mapper} serializes records as a default {@code JsonMapper} does (see the class comment);
     * only then may {@link #forType} be asked. Never throws.
     */
    static boolean supports(JsonMapper mapper) {
        try {
            SerializationConfig c = mapper.serializationConfig();
            SerializationConfig d = Reference.MAPPER.serializationConfig();
            var builder = mapper.rebuild();
            if (!mapper.registeredModules().isEmpty() || c.mixInCount() != 0 || c.getPropertyNamingStrategy() != null
                    || c.getActiveView() != null || c.getFilterProvider() != null || c.getFullRootName() != null
                    || !c.getDefaultPropertyInclusion().equals(d.getDefaultPropertyInclusion())
                    || c.getSerializationFeatures() != d.getSerializationFeatures() || !introspectsAsDefault(c, d)
                    || builder.serializerFactory() != BeanSerializerFactory.instance
                    || builder.serializationContexts().getClass() != Reference.CONTEXTS
                    || mapper._serializationContext().getDefaultNullValueSerializer().getClass() != NullSerializer.class) {
                return false;
            }
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * Whether the configuration {@code c} finds classes' properties as the default {@code d} does: the same kinds
     * of annotation introspector and accessor naming, and every mapper feature as in {@code d}.
     */
    static boolean introspectsAsDefault(MapperConfig<?> c, MapperConfig<?> d) {
        if (c.getAnnotationIntrospector().getClass() != d.getAnnotationIntrospector().getClass()
                || c.getAccessorNaming().getClass() != d.getAccessorNaming().getClass()) {
            return false;
        }
        for (MapperFeature f : MapperFeature.values()) {
            if (c.isEnabled(f) != d.isEnabled(f)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param mapper a mapper that {@link #supports} accepted
     * @return a writer for values of exactly {@code type}, or null if the Jackson path must write them
     */
    static RecordWriter forType(Class<?> type, JsonMapper mapper) {
        if (!type.isRecord()) {
            return null;
        }
        try {
            SerializationContext ctxt = mapper._serializationContext();
            return build(type, ctxt.findTypedValueSerializer(type, true), ctxt.getConfig(), new HashSet<>());
        } catch (RuntimeException | LinkageError | IllegalAccessException e) {
            return null;
        }
    }

    private static RecordWriter build(Class<?> type, ValueSerializer<?> ser, SerializationConfig config,
            Set<Class<?>> open) throws IllegalAccessException {
        RecordComponent[] components = type.isRecord() ? type.getRecordComponents() : null;
        if (components == null || type.getTypeParameters().length > 0 || components.length == 0 || !open.add(type)
                || (ser.getClass() != BeanSerializer.class && ser.getClass() != UnrolledBeanSerializer.class)
                || annotated(type) || !(ser instanceof BeanSerializerBase bean) || bean.getFilterId() != null
                || bean.usesObjectId() || bean.propertyCount() != components.length) {
            return null;
        }
        RecordWriter w = new RecordWriter(components.length);
        Iterator<PropertyWriter> props = bean.properties();
        for (int i = 0; i < components.length; i++) {
            RecordComponent rc = components[i];
            Method accessor = rc.getAccessor();
            if (!props.hasNext() || !(props.next() instanceof BeanPropertyWriter p) || p.getClass() != BeanPropertyWriter.class
                    || !p.getName().equals(rc.getName()) || !p.getSerializedName().getValue().equals(rc.getName())
                    || !accessor.equals(p.getMember().getMember()) || p.isUnwrapping() || p.getTypeSerializer() != null
                    || (p.getViews() != null && p.getViews().length > 0) || p.willSuppressNulls() || !p.hasNullSerializer() || !p.hasSerializer()
                    || !includesAll(config.getDefaultInclusion(type, rc.getType())) || annotated(rc)
                    || !accessor.trySetAccessible()) {
                return null;
            }
            Class<?> t = rc.getType();
            byte kind = kind(t);
            ValueSerializer<?> s = p.getSerializer();
            if (kind < 0 || (kind == RECORD ? (w.nested[i] = build(t, s, config, open)) == null
                    : s.getClass() != serializerOf(t))) {
                return null;
            }
            MethodHandle h = MethodHandles.lookup().unreflect(accessor);
            w.names[i] = rc.getName();
            w.encodedNames[i] = encodedName(rc.getName(), i == 0);
            w.kinds[i] = kind;
            w.getters[i] = t.isPrimitive() ? h.asType(MethodType.methodType(t, Object.class)) : h.asType(OBJECT_GETTER);
        }
        open.remove(type);
        return props.hasNext() ? null : w;
    }

    private static byte[] encodedName(String name, boolean first) {
        ByteBuf b = Unpooled.buffer(name.length() * 6 + 4);
        try {
            JsonStringWriter.writeName(name, first, b);
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    private static byte kind(Class<?> t) {
        if (t == int.class) return INT;
        if (t == long.class) return LONG;
        if (t == short.class) return SHORT;
        if (t == double.class) return DOUBLE;
        if (t == float.class) return FLOAT;
        if (t == boolean.class) return BOOLEAN;
        if (t == String.class) return STRING;
        if (t == Integer.class || t == Long.class || t == Short.class || t == Double.class || t == Float.class
                || t == Boolean.class) {
            return BOXED;
        }
        return t.isRecord() ? RECORD : -1;
    }

    /** The serializer Jackson uses for a value of {@code t} when nothing customizes it. */
    private static Class<?> serializerOf(Class<?> t) {
        if (t == int.class || t == Integer.class) return NumberSerializers.IntegerSerializer.class;
        if (t == long.class || t == Long.class) return NumberSerializers.LongSerializer.class;
        if (t == short.class || t == Short.class) return NumberSerializers.ShortSerializer.class;
        if (t == double.class || t == Double.class) return NumberSerializers.DoubleSerializer.class;
        if (t == float.class || t == Float.class) return NumberSerializers.FloatSerializer.class;
        if (t == boolean.class || t == Boolean.class) return BooleanSerializer.class;
        return StringSerializer.class;
    }

    private static boolean includesAll(JsonInclude.Value v) {
        JsonInclude.Include i = v.getValueInclusion();
        return i == JsonInclude.Include.ALWAYS || i == JsonInclude.Include.USE_DEFAULTS;
    }

    /** Whether the record or any of its members carry annotations Jackson may read. */
    static boolean annotated(Class<?> type) {
        if (annotated((AnnotatedElement) type)) {
            return true;
        }
        for (Field f : type.getDeclaredFields()) {
            if (annotated(f)) {
                return true;
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (annotated(m)) {
                return true;
            }
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (annotated(c)) {
                return true;
            }
            for (Annotation[] params : c.getParameterAnnotations()) {
                for (Annotation a : params) {
                    if (jackson(a)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean annotated(AnnotatedElement e) {
        for (Annotation a : e.getAnnotations()) {
            if (jackson(a)) {
                return true;
            }
        }
        return false;
    }

    /** Jackson's own annotations, bundles of them, and the {@code java.beans} ones it honours. */
    private static boolean jackson(Annotation a) {
        Class<? extends Annotation> t = a.annotationType();
        String n = t.getName();
        return n.startsWith("com.fasterxml.jackson.") || n.startsWith("tools.jackson.") || n.startsWith("java.beans.")
                || t.isAnnotationPresent(com.fasterxml.jackson.annotation.JacksonAnnotationsInside.class);
    }

    /** A default mapper to compare configurations with, made on first use. */
    private static final class Reference {
        static final JsonMapper MAPPER = JsonMapper.builder().build();
        static final Class<?> CONTEXTS = MAPPER.rebuild().serializationContexts().getClass();
    }
}
