package io.jipc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.internal.config.Defaults;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link MessageDecoder} with {@link RecordRoute}s: a payload of a routed type is read straight into the record
 * when the reader takes it as it is, and in every other case the message or failure is the one decoding without
 * routes gives.
 */
@Timeout(30)
class RecordRouteDecodeTest {
    private static final JsonMapper MAPPER = Defaults.jsonMapper();
    private static final RecordReader HIDDEN = RecordReader.forType(RecordReaderTest.Hidden.class, MAPPER);
    private static final RecordRoute ROUTE = new RecordRoute(HIDDEN) {
    };
    /** "msg" is routed to {@code Hidden}; every other type is not. */
    private static final RecordRoute.Table ROUTES = type -> type.equals("msg") ? ROUTE : null;

    private static final List<String> FRAMES = List.of(
        "{\"type\":\"msg\",\"data\":{\"seq\":1,\"pad\":\"x\"}}",
        " {\"type\" : \"msg\" , \"data\" : { \"pad\" : \"é\" , \"seq\" : -7 } , \"extra\" : [1] } ",
        "{\"type\":\"msg\",\"data\":{\"seq\":1}}",                             // declined: a member missing
        "{\"type\":\"msg\",\"data\":{\"seq\":1,\"pad\":\"x\",\"id\":\"a\"}}",  // declined: another member
        "{\"type\":\"msg\",\"data\":[1,2]}",
        "{\"type\":\"msg\",\"data\":null}",
        "{\"type\":\"msg\"}",
        "{\"data\":{\"seq\":1,\"pad\":\"x\"},\"type\":\"msg\"}",               // data before type: the tree
        "{\"type\":\"msg\",\"data\":{\"seq\":1,\"pad\":\"x\"},\"type\":\"other\"}", // the type changed after the data
        "{\"type\":\"msg\",\"data\":{\"seq\":1,\"pad\":\"x\"},\"type\":5}",
        "{\"type\":\"msg\",\"data\":{\"seq\":1,\"pad\":\"x\"},\"type\":\"msg\"}",
        "{\"type\":\"msg\",\"data\":{\"seq\":1,\"pad\":\"x\"},\"data\":{\"seq\":2,\"pad\":\"y\"}}",
        "{\"type\":\"msg\",\"data\":{\"seq\":1,\"pad\":\"x\"},\"data\":7}",
        "{\"type\":\"msg\",\"data\":7,\"data\":{\"seq\":1,\"pad\":\"x\"}}",
        "{\"type\":\"other\",\"data\":{\"seq\":1,\"pad\":\"x\"}}",
        "{\"type\":\"msg\",\"data\":{\"seq\":1,\"pad\":\"x\"}",                 // unterminated
        "{\"type\":\"msg\",\"data\":{\"seq\":1,\"pad\":\"x\"}} x",             // trailing text
        "{\"type\":\"msg\",\"data\":{\"seq\":1,\"pad\":\"\u0001\"}}",          // raw control character
        "{\"type\":\"msg\",\"data\":{\"seq\":1,\"pad\":\"x\",}}",
        "{\"type\":\"msg\",\"data\":{\"seq\":01,\"pad\":\"x\"}}");

    @Test
    void aRoutedPayloadTheReaderTakesIsReadIntoTheRecord() {
        Object m = decode("{\"type\":\"msg\",\"data\":{\"seq\":1,\"pad\":\"x\"}}", ROUTES);
        assertThat(m).isInstanceOf(WireMessage.class);
        WireMessage w = (WireMessage) m;
        assertThat(w.type()).isEqualTo("msg");
        assertThat(w.record()).isEqualTo(new RecordReaderTest.Hidden(1, "x"));
        assertThat(w.route()).isSameAs(ROUTE);
        assertThat(w.data()).isNull();
    }

    @Test
    void everyOtherFrameDecodesAsWithoutRoutes() {
        int read = 0;
        for (String f : FRAMES) {
            Object plain = decode(f, null);
            Object routed = decode(f, ROUTES);
            if (routed instanceof WireMessage w && w.record() != null) {
                read++;
                assertThat(plain).as(f).isInstanceOf(WireMessage.class);
                WireMessage p = (WireMessage) plain;
                assertThat(w.type()).as(f).isEqualTo(p.type());
                assertThat(w.dataId()).as(f).isEqualTo(p.dataId());
                assertThat(w.record()).as(f).isEqualTo(HIDDEN.read(p.data()));
            } else {
                assertThat(routed).as(f).isEqualTo(plain);
            }
        }
        assertThat(read).as("frames read into the record").isEqualTo(5);
    }

    @Test
    void decodingAheadFindsTheSameFrameEnd() {
        byte[] text = utf8("{\"type\":\"msg\",\"data\":{\"seq\":1,\"pad\":\"x\"}} \f{\"type\":\"msg\",\"data\":{\"seq\":2,\"pad\":\"y\"}}\f");
        int[] end = new int[1];
        WireMessage first = MessageDecoder.decodeAhead(text, 0, text.length, utf8("\f"), MAPPER, end, ROUTES);
        assertThat(first.record()).isEqualTo(new RecordReaderTest.Hidden(1, "x"));
        assertThat(text[end[0]]).isEqualTo((byte) '\f');
        WireMessage second = MessageDecoder.decodeAhead(text, end[0] + 1, text.length, utf8("\f"), MAPPER, end, ROUTES);
        assertThat(second.record()).isEqualTo(new RecordReaderTest.Hidden(2, "y"));
        assertThat(end[0]).isEqualTo(text.length - 1);
        byte[] cut = utf8("{\"type\":\"msg\",\"data\":{\"seq\":1,\"pad\":\"x");
        assertThat(MessageDecoder.decodeAhead(cut, 0, cut.length, utf8("\f"), MAPPER, end, ROUTES)).isNull();
    }

    private static Object decode(String frame, RecordRoute.Table routes) {
        byte[] b = utf8(frame);
        return MessageDecoder.decode(b, 0, b.length, MAPPER, routes);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
