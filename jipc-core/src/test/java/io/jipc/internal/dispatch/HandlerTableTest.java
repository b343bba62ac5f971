package io.jipc.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.internal.codec.RecordReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

/** The {@link io.jipc.internal.codec.RecordRoute}s a {@link HandlerTable} gives as handlers come and go. */
@Timeout(10)
class HandlerTableTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    public record A(int n) {}

    public record B(String s) {}

    /** A handler bound to {@code type}, with a reader when {@code readable}. */
    private record Bound(Class<?> payloadType, boolean readable) implements BoundHandler {
        @Override
        public RecordReader reader() {
            return readable ? RecordReader.forType(payloadType, MAPPER) : null;
        }
    }

    @Test
    void aTypeWhoseHandlersAllTakeTheSameRecordHasARouteToThem() {
        HandlerTable<Object> t = new HandlerTable<>();
        assertThat(t.routeOf("x")).isNull();
        Bound first = new Bound(A.class, true);
        Bound second = new Bound(A.class, true);
        t.add("x", first);
        t.add("x", second);
        TypedRoute<Object> route = t.routeOf("x");
        assertThat(route).isNotNull();
        assertThat(route.size()).isEqualTo(2);
        assertThat(route.handler(0)).isSameAs(first);
        assertThat(route.handler(1)).isSameAs(second);
        assertThat(route.reader()).isNotNull();
        assertThat(t.routeOf("y")).isNull();
    }

    @Test
    void aTreeHandlerAnotherRecordOrNoReaderMeansNoRoute() {
        HandlerTable<Object> t = new HandlerTable<>();
        t.add("tree", new Bound(A.class, true));
        t.add("tree", "a handler of the tree");
        t.add("two", new Bound(A.class, true));
        t.add("two", new Bound(B.class, true));
        t.add("jackson", new Bound(A.class, false));
        assertThat(t.routeOf("tree")).isNull();
        assertThat(t.routeOf("two")).isNull();
        assertThat(t.routeOf("jackson")).isNull();
    }

    @Test
    void routesFollowRemovalsAndEndWithAnAnyHandler() {
        HandlerTable<Object> t = new HandlerTable<>();
        Object tree = "a handler of the tree";
        t.add("x", new Bound(A.class, true));
        t.add("x", tree);
        assertThat(t.routeOf("x")).isNull();
        assertThat(t.remove("x", tree)).isTrue();
        TypedRoute<Object> before = t.routeOf("x");
        assertThat(before).isNotNull();
        t.remove("x");
        assertThat(t.routeOf("x")).isNull();
        assertThat(before.size()).as("a route made earlier keeps its handlers").isEqualTo(1);
        t.add("x", new Bound(A.class, true));
        assertThat(t.routeOf("x")).isNotNull();
        t.addedAnyHandler();
        assertThat(t.routeOf("x")).isNull();
        t.add("y", new Bound(A.class, true));
        assertThat(t.routeOf("y")).isNull();
    }
}
