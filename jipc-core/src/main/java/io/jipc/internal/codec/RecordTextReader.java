package io.jipc.internal.codec;

/**
 * Reads the JSON object at a {@link JsonTreeParser.Text}'s cursor straight into the record a {@link RecordReader}
 * makes, without a tree: the record equals {@code reader.read(tree)} for the tree the parser would make there.
 *
 * <p>Takes only what that path takes: members that are exactly the components, each once and in any order, with
 * values of the node types the reader takes. Anything else returns null with the cursor where it was, and the
 * caller parses the tree. That covers a missing, repeated or unknown member, a number the
 * parser makes a big node of, a syntax error or a limit exceeded (the tree parse then reports it), and a
 * constructor that throws (binding reports that). Never throws; stateless.
 */
final class RecordTextReader {
    /** A member value that does not fit its component. */
    private static final Object NO = new Object();

    private RecordTextReader() {
    }

    /**
     * @param depth the nesting of the object at the cursor ({@code data} of a message is at 2)
     * @return the record, with the cursor after the object; or null, with the cursor unmoved, when the value at the
     *         cursor is not an object the reader takes as it is
     */
    static Object read(RecordReader reader, JsonTreeParser.Text text, int depth) {
        int start = text.position();
        Object record;
        try {
            record = object(reader, text, depth);
        } catch (JsonTreeParser.JsonSyntaxException e) {
            record = null;
        }
        if (record == null) {
            text.rewind(start);
        }
        return record;
    }

    private static Object object(RecordReader r, JsonTreeParser.Text t, int depth) {
        int n = r.names.length;
        if (n > Long.SIZE || t.peek() != '{' || !t.enterObject(depth)) {
            return null;
        }
        if (depth == 2) {
            t.objectId(null);
        }
        Object[] args = new Object[n];
        long seen = 0;
        int next = 0;
        if (t.take('}')) {
            return null; // a reader has at least one component
        }
        do {
            int i = member(r, t, next);
            if (i < 0 || (seen & 1L << i) != 0) {
                return null;
            }
            seen |= 1L << i;
            next = i + 1;
            t.expect(':');
            Object a = value(r, i, t, depth);
            if (a == NO) {
                return null;
            }
            args[i] = a;
            if (i == r.stringId && depth == 2) {
                t.objectId((String) a);
            }
        } while (t.take(','));
        t.expect('}');
        if (Long.bitCount(seen) != n) {
            return null;
        }
        try {
            return r.constructor.invokeExact(args);
        } catch (Throwable e) {
            return null; // binding calls it again and reports the failure
        }
    }

    /** @return the component the member name at the cursor names (the expected {@code next} one tried first), or -1 */
    private static int member(RecordReader r, JsonTreeParser.Text t, int next) {
        if (next < r.names.length && r.quotedNames[next] != null && t.takeName(r.quotedNames[next])) {
            return next;
        }
        String name = t.name();
        for (int i = 0; i < r.names.length; i++) {
            if (r.names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** @return the argument of component {@code i} the value at the cursor gives (null for a JSON null), or {@link #NO} */
    private static Object value(RecordReader r, int i, JsonTreeParser.Text t, int depth) {
        byte kind = r.kinds[i];
        int c = t.peek();
        if (c == 'n') {
            t.literal("null");
            return kind >= RecordReader.STRING ? null : NO; // reference components take null, primitives do not
        }
        switch (kind) {
            case RecordReader.STRING:
                return c == '"' ? t.stringValue() : NO;
            case RecordReader.BOOLEAN, RecordReader.BOX_BOOLEAN:
                if (c == 't' || c == 'f') {
                    t.literal(c == 't' ? "true" : "false");
                    return c == 't' ? Boolean.TRUE : Boolean.FALSE;
                }
                return NO;
            case RecordReader.RECORD:
                Object o = c == '{' ? object(r.nested[i], t, depth + 1) : null;
                return o == null ? NO : o;
            default:
                return c == '-' || (c >= '0' && c <= '9') ? number(kind, t) : NO;
        }
    }

    /** @return the argument a number gives a component of {@code kind} (int, long, double or their boxes), or {@link #NO} */
    private static Object number(byte kind, JsonTreeParser.Text t) {
        int k = t.numberKind();
        boolean integer = k == JsonTreeParser.INT || k == JsonTreeParser.LONG;
        switch (kind) {
            case RecordReader.INT, RecordReader.BOX_INT:
                return k == JsonTreeParser.INT ? (Object) (int) t.integerValue : NO;
            case RecordReader.LONG, RecordReader.BOX_LONG:
                return integer ? (Object) t.integerValue : NO;
            default: // DOUBLE, BOX_DOUBLE
                return k == JsonTreeParser.DOUBLE ? (Object) t.doubleValue : integer ? (Object) (double) t.integerValue : NO;
        }
    }
}
