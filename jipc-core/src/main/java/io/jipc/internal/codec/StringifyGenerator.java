package io.jipc.internal.codec;

import io.jipc.internal.buffer.FrameScratch;
import io.netty.buffer.ByteBuf;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import tools.jackson.core.Base64Variant;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamWriteCapability;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TreeNode;
import tools.jackson.core.Version;
import tools.jackson.core.util.JacksonFeatureSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;

/**
 * A Jackson {@link JsonGenerator} that writes a serialized value straight into a {@link ByteBuf}
 * as exactly the bytes {@code JsonStringify.write(PayloadRules.normalise(mapper.valueToTree(v)))}
 * would produce, without building the tree.
 *
 * <p>It answers serializers as Jackson's own tree-building generator does (default stream write
 * features and capabilities, no type or object ids, no pretty printer), so they emit the same
 * tokens, and writes each token as {@link JsonStringify} writes the node the tree builder makes of
 * it. Whatever it cannot reproduce exactly it refuses, and {@link #tryWrite} returns false:
 * an array-index property name (JavaScript puts those first), a repeated name in one object (the
 * tree keeps the last value at the first position), nesting deeper than
 * {@link JsonStringify#MAX_DEPTH}, raw values, numbers as text, POJOs and embedded objects
 * other than {@code byte[]}, root-level trees, and, under legacy rules, a root value that those
 * rules would replace ({@code null}, {@code ""}, NaN, nothing, or an object with a
 * {@code _maxListeners} property). It also refuses iterators and iterables that are not
 * collections before consuming them, so the tree path can still read them. Streams cannot be
 * spared that way (their serializer closes them on any error), so a stream inside a payload that is
 * then refused is gone for the tree path, which fails.
 *
 * <p>Not thread-safe; {@link #tryWrite} uses one instance per thread and a fresh one when re-entered.
 */
final class StringifyGenerator extends JsonGenerator {
    private static final int FEATURES = StreamWriteFeature.collectDefaults();
    private static final JacksonFeatureSet<StreamWriteCapability> CAPABILITIES =
            JacksonFeatureSet.fromDefaults(StreamWriteCapability.values());
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final String MAX_LISTENERS = "_maxListeners";
    private static final ThreadLocal<StringifyGenerator> CACHE = ThreadLocal.withInitial(StringifyGenerator::new);

    private final StringifyContext root = new StringifyContext(null);
    private ByteBuf out;
    private boolean legacy;
    private StringifyContext ctx;
    private int depth;
    private int maxDepth;
    private boolean failed;

    private StringifyGenerator() {}

    /** @return the generator kept with {@code scratch} (its thread's), made on first use */
    private static StringifyGenerator of(FrameScratch scratch) {
        if (scratch.attachment() instanceof StringifyGenerator g) {
            return g;
        }
        StringifyGenerator g = new StringifyGenerator();
        scratch.attach(g);
        return g;
    }

    /**
     * Serializes {@code value} with {@code writer} into {@code out}.
     * @param writer the mapper's writer for {@code value}'s runtime class (same serializer as {@code writeValue})
     * @param scratch the lent scratch {@code out} is the buffer of, whose generator (kept with it, so found
     *                without a thread-local lookup of its own) is used; or null, for the thread-local one
     * @return true if the exact bytes were written; false if this path does not apply or
     *         serialization failed, in which case {@code out} holds garbage after its original writer
     *         index and the caller must reset it and use the tree path (which reports any error)
     */
    static boolean tryWrite(ObjectWriter writer, Object value, boolean legacy, ByteBuf out, FrameScratch scratch) {
        return tryWrite(writer, null, value, legacy, out, scratch);
    }

    /**
     * As {@link #tryWrite(ObjectWriter, Object, boolean, ByteBuf, FrameScratch)}, writing the record {@code value} with
     * {@code records}, which makes the calls Jackson's serializer would make; an exception its accessors throw
     * counts as a serialization failure (false), except an {@link Error} other than a stack overflow,
     * which propagates, as it does out of Jackson.
     */
    static boolean tryWrite(RecordWriter records, Object value, boolean legacy, ByteBuf out, FrameScratch scratch) {
        return tryWrite(null, records, value, legacy, out, scratch);
    }

    /** Writes with {@code records} if not null, else with {@code writer}. */
    private static boolean tryWrite(ObjectWriter writer, RecordWriter records, Object value, boolean legacy,
            ByteBuf out, FrameScratch scratch) {
        StringifyGenerator g = scratch != null ? of(scratch) : CACHE.get();
        if (g.out != null) {
            g = new StringifyGenerator(); // re-entered from a serializer on this thread
        }
        g.out = out;
        g.legacy = legacy;
        g.ctx = g.root.reset(TokenStreamContext.TYPE_ROOT, null);
        g.depth = 0;
        g.maxDepth = 0;
        g.failed = false;
        try {
            if (records != null) {
                records.write(g, value);
            } else {
                writer.writeValue(g, value);
            }
            return !g.failed && g.ctx == g.root && g.root.getEntryCount() == 1;
        } catch (RuntimeException | StackOverflowError e) {
            return false;
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            return false; // a checked exception out of an accessor: Jackson wraps it
        } finally {
            g.out = null;
            for (StringifyContext c = g.root; c != null && c.getNestingDepth() <= g.maxDepth; c = c.nested()) {
                c.clear(); // drop references to user data
            }
        }
    }

    /**
     * Abandons the direct path; the caller falls back to the tree path. Sticky: should a serializer
     * swallow the exception and go on, every later token fails too and {@link #tryWrite} returns false.
     */
    private JacksonException abort() {
        failed = true;
        throw new Abort();
    }

    // ------------------------------------------------------------------ structure

    private void beforeValue() {
        StringifyContext c = ctx;
        if (failed) {
            throw abort();
        }
        if (c.inObject()) {
            if (!c.awaitsValue()) {
                throw abort(); // the tree builder throws here
            }
            c.valueStarted();
        } else if (c.nextEntry() > 0) {
            if (c == root) {
                throw abort(); // a second root value replaces the first in the tree
            }
            out.writeByte(',');
        }
    }

    /** Legacy rules replace a falsy root value by {@code {}}: leave that to the tree path. */
    private void checkFalsyRoot(boolean falsy) {
        if (falsy && legacy && ctx == root) {
            throw abort();
        }
    }

    private void open(int type, Object value, char bracket) {
        beforeValue();
        if (depth >= JsonStringify.MAX_DEPTH) {
            throw abort();
        }
        ctx = ctx.child(type, value);
        maxDepth = Math.max(maxDepth, ++depth);
        out.writeByte(bracket);
    }

    private void close(boolean object, char bracket) {
        StringifyContext c = ctx;
        if (failed || (object ? !c.inObject() : !c.inArray()) || c.awaitsValue()) {
            throw abort();
        }
        out.writeByte(bracket);
        ctx = c.getParent();
        depth--;
    }

    @Override public JsonGenerator writeStartArray() { return writeStartArray(null); }
    @Override public JsonGenerator writeStartArray(Object value, int size) { return writeStartArray(value); }

    @Override
    public JsonGenerator writeStartArray(Object value) {
        if (value instanceof Iterator || (value instanceof Iterable && !(value instanceof Collection)
                && !(value instanceof JsonNode))) {
            throw abort(); // may be single-use: the fallback must find it unconsumed (a stream is closed anyway)
        }
        open(TokenStreamContext.TYPE_ARRAY, value, '[');
        return this;
    }

    @Override public JsonGenerator writeEndArray() { close(false, ']'); return this; }
    @Override public JsonGenerator writeStartObject() { return writeStartObject(null); }
    @Override public JsonGenerator writeStartObject(Object value, int size) { return writeStartObject(value); }
    @Override public JsonGenerator writeStartObject(Object value) { open(TokenStreamContext.TYPE_OBJECT, value, '{'); return this; }
    @Override public JsonGenerator writeEndObject() { close(true, '}'); return this; }
    @Override public JsonGenerator writeName(SerializableString name) { return writeName(name.getValue()); }
    @Override public JsonGenerator writePropertyId(long id) { return writeName(Long.toString(id)); }

    @Override
    public JsonGenerator writeName(String name) {
        StringifyContext c = ctx;
        if (failed || !c.inObject() || c.awaitsValue() || JsonStringify.arrayIndex(name) >= 0
                || (legacy && depth == 1 && MAX_LISTENERS.equals(name)) || !c.addName(name)) {
            throw abort();
        }
        JsonStringWriter.writeName(name, c.nextEntry() == 0, out);
        c.named(name);
        return this;
    }

    /**
     * A record component's name, for {@link RecordWriter}: the bytes {@link #writeName} writes for it, given
     * as {@code encoded}, with only the checks its names need. They are distinct Java identifiers (so never
     * array indices), each written once, in order, into the object the record writer opened.
     */
    void writeComponentName(String name, byte[] encoded) {
        StringifyContext c = ctx;
        if (failed || c.awaitsValue() || (legacy && depth == 1 && MAX_LISTENERS.equals(name))) {
            throw abort();
        }
        c.nextEntry();
        out.writeBytes(encoded);
        c.named(name);
    }

    // ------------------------------------------------------------------ scalars

    @Override
    public JsonGenerator writeString(String text) {
        if (text == null) {
            return writeNull();
        }
        checkFalsyRoot(text.isEmpty());
        beforeValue();
        JsonStringWriter.writeQuoted(text, out);
        return this;
    }

    @Override public JsonGenerator writeString(char[] buf, int offset, int len) { return writeString(new String(buf, offset, len)); }
    @Override public JsonGenerator writeString(SerializableString text) { return writeString(text == null ? null : text.getValue()); }
    @Override public JsonGenerator writeNumber(short v) { return writeNumber((long) v); }
    @Override public JsonGenerator writeNumber(int v) { return writeNumber((long) v); }

    @Override public JsonGenerator writeNumber(long v) { beforeValue(); EcmaNumbers.write(v, out); return this; }

    @Override
    public JsonGenerator writeNumber(double v) {
        checkFalsyRoot(Double.isNaN(v));
        beforeValue();
        EcmaNumbers.write(v, out);
        return this;
    }

    @Override
    public JsonGenerator writeNumber(float v) {
        checkFalsyRoot(Float.isNaN(v));
        beforeValue();
        EcmaNumbers.write(EcmaNumbers.floatToDouble(v), out);
        return this;
    }

    @Override
    public JsonGenerator writeNumber(BigInteger v) {
        if (v == null) {
            return writeNull();
        }
        beforeValue();
        EcmaNumbers.write(v, out);
        return this;
    }

    @Override
    public JsonGenerator writeNumber(BigDecimal v) {
        if (v == null) {
            return writeNull();
        }
        beforeValue();
        EcmaNumbers.write(v, out); // via the nearest double, as for a DecimalNode: trailing zeros do not matter
        return this;
    }

    @Override public JsonGenerator writeBoolean(boolean v) { beforeValue(); out.writeBytes(v ? TRUE : FALSE); return this; }
    @Override public JsonGenerator writeNull() { checkFalsyRoot(true); beforeValue(); out.writeBytes(NULL); return this; }

    @Override
    public JsonGenerator writeBinary(Base64Variant variant, byte[] data, int offset, int len) {
        beforeValue(); // a BinaryNode: JsonStringify writes standard padded base64 whatever the variant
        out.writeByte('"');
        out.writeBytes(Base64.getEncoder().encode(ByteBuffer.wrap(data, offset, len)));
        out.writeByte('"');
        return this;
    }

    @Override
    public JsonGenerator writePOJO(Object pojo) {
        if (pojo == null) {
            return writeNull();
        }
        if (pojo instanceof byte[] b) {
            return writeBinary(b, 0, b.length);
        }
        throw abort();
    }

    @Override
    public JsonGenerator writeEmbeddedObject(Object object) {
        if (object instanceof byte[] b) {
            return writeBinary(b, 0, b.length);
        }
        throw abort();
    }

    @Override
    public JsonGenerator writeTree(TreeNode node) {
        if (node == null) {
            return writeNull();
        }
        if (!(node instanceof JsonNode json) || ctx == root) {
            throw abort(); // a root tree is subject to the payload rules: the tree path applies them
        }
        beforeValue();
        failed = true; // until the subtree is complete
        JsonStringify.write(json, out, depth);
        failed = false;
        return this;
    }

    // ------------------------------------------------------------------ unsupported: fall back

    @Override public JsonGenerator writeNumber(String encodedValue) { throw abort(); }
    @Override public JsonGenerator writeString(Reader reader, int len) { throw abort(); }
    @Override public JsonGenerator writeRawUTF8String(byte[] buf, int offset, int len) { throw abort(); }
    @Override public JsonGenerator writeUTF8String(byte[] buf, int offset, int len) { throw abort(); }
    @Override public JsonGenerator writeRaw(String text) { throw abort(); }
    @Override public JsonGenerator writeRaw(String text, int offset, int len) { throw abort(); }
    @Override public JsonGenerator writeRaw(char[] buf, int offset, int len) { throw abort(); }
    @Override public JsonGenerator writeRaw(char c) { throw abort(); }
    @Override public JsonGenerator writeRawValue(String text) { throw abort(); }
    @Override public JsonGenerator writeRawValue(String text, int offset, int len) { throw abort(); }
    @Override public JsonGenerator writeRawValue(char[] text, int offset, int len) { throw abort(); }
    @Override public int writeBinary(Base64Variant variant, InputStream data, int len) { throw abort(); }

    // ------------------------------------------------------------------ configuration, as the tree builder answers

    @Override public Version version() { return Version.unknownVersion(); }
    @Override public TokenStreamContext streamWriteContext() { return ctx; }
    @Override public ObjectWriteContext objectWriteContext() { return ObjectWriteContext.empty(); }
    @Override public Object streamWriteOutputTarget() { return null; }
    @Override public int streamWriteOutputBuffered() { return -1; }
    @Override public Object currentValue() { return ctx.currentValue(); }
    @Override public void assignCurrentValue(Object v) { ctx.assignCurrentValue(v); }
    @Override public JsonGenerator configure(StreamWriteFeature f, boolean state) { return this; }
    @Override public boolean isEnabled(StreamWriteFeature f) { return (FEATURES & f.getMask()) != 0; }
    @Override public int streamWriteFeatures() { return FEATURES; }
    @Override public boolean has(StreamWriteCapability c) { return CAPABILITIES.isEnabled(c); }
    @Override public JacksonFeatureSet<StreamWriteCapability> streamWriteCapabilities() { return CAPABILITIES; }
    @Override public void flush() {}
    @Override public boolean isClosed() { return false; }
    @Override public void close() {}

    /** Signal that the direct path cannot write this value exactly; cheap (no stack trace). */
    private static final class Abort extends JacksonException {
        private static final long serialVersionUID = 1L;

        Abort() {
            super("value needs the JSON tree path");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
