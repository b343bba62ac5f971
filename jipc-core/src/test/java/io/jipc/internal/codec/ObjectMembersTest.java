package io.jipc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jipc.internal.config.Defaults;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.ObjectNode;

/** {@link ObjectMembers} behaves as the {@link LinkedHashMap} it stands in for, small and past the hash threshold. */
@Timeout(60)
class ObjectMembersTest {
    private static final JsonMapper MAPPER = Defaults.jsonMapper();

    /** Random operations on both maps, compared after each: contents, order, results, views. */
    @Test
    void behavesLikeALinkedHashMapUnderRandomOperations() {
        Random r = new Random(7);
        for (int round = 0; round < 400; round++) {
            ObjectMembers mine = new ObjectMembers();
            LinkedHashMap<String, JsonNode> ref = new LinkedHashMap<>();
            int keys = 1 + r.nextInt(round % 2 == 0 ? 6 : 30); // some stay linear, some get the index
            for (int op = 0; op < 200; op++) {
                String k = r.nextInt(20) == 0 ? null : "k" + r.nextInt(keys);
                JsonNode v = r.nextInt(15) == 0 ? null : IntNode.valueOf(r.nextInt(100));
                switch (r.nextInt(10)) {
                    case 0, 1, 2, 3 -> assertThat(mine.put(k, v)).isEqualTo(ref.put(k, v));
                    case 4 -> assertThat(mine.remove(k)).isEqualTo(ref.remove(k));
                    case 5 -> assertThat(mine.get(k)).isEqualTo(ref.get(k));
                    case 6 -> assertThat(mine.containsKey(k)).isEqualTo(ref.containsKey(k));
                    case 7 -> { // iterator removal of every other entry
                        Iterator<Map.Entry<String, JsonNode>> a = mine.entrySet().iterator();
                        Iterator<Map.Entry<String, JsonNode>> b = ref.entrySet().iterator();
                        boolean drop = r.nextBoolean();
                        while (b.hasNext()) {
                            assertThat(a.next()).isEqualTo(b.next());
                            if (drop) {
                                a.remove();
                                b.remove();
                            }
                            drop = !drop;
                        }
                        assertThat(a.hasNext()).isFalse();
                    }
                    case 8 -> { // writing through entries
                        for (Map.Entry<String, JsonNode> e : mine.entrySet()) {
                            e.setValue(IntNode.valueOf(e.getKey() == null ? -1 : e.getKey().length()));
                        }
                        for (Map.Entry<String, JsonNode> e : ref.entrySet()) {
                            e.setValue(IntNode.valueOf(e.getKey() == null ? -1 : e.getKey().length()));
                        }
                    }
                    default -> {
                        if (r.nextInt(10) == 0) {
                            mine.clear();
                            ref.clear();
                        }
                    }
                }
                assertThat(new ArrayList<>(mine.entrySet())).isEqualTo(new ArrayList<>(ref.entrySet()));
                assertThat(mine).isEqualTo(ref);
                assertThat(ref).isEqualTo(mine);
                assertThat(mine.hashCode()).isEqualTo(ref.hashCode());
                assertThat(mine.size()).isEqualTo(ref.size());
            }
        }
    }

    @Test
    void viewsWriteThroughAndIteratorsFailFast() {
        ObjectMembers m = new ObjectMembers();
        for (int i = 0; i < 12; i++) {
            m.put("k" + i, IntNode.valueOf(i));
        }
        Map.Entry<String, JsonNode> third = m.entrySet().iterator().next();
        m.keySet().removeAll(List.of("k1", "k3"));
        m.values().removeIf(v -> v.intValue() == 5);
        assertThat(m.keySet()).containsExactly("k0", "k2", "k4", "k6", "k7", "k8", "k9", "k10", "k11");
        third.setValue(IntNode.valueOf(100));
        assertThat(m.get("k0")).isEqualTo(IntNode.valueOf(100));
        assertThat(m.entrySet().contains(Map.entry("k2", IntNode.valueOf(2)))).isTrue();
        assertThat(m.entrySet().remove(Map.entry("k2", IntNode.valueOf(3)))).isFalse();
        assertThat(m.entrySet().remove(Map.entry("k2", IntNode.valueOf(2)))).isTrue();
        Iterator<String> it = m.keySet().iterator();
        it.next();
        m.put("new", IntNode.valueOf(0));
        assertThatThrownBy(it::next).isInstanceOf(ConcurrentModificationException.class);
        Iterator<String> fresh = m.keySet().iterator();
        assertThatThrownBy(fresh::remove).isInstanceOf(IllegalStateException.class);
    }

    /** The parser's objects: same tree, order and mutability as the mapper's own readTree. */
    @Test
    void parsedObjectsActLikeTheMappersOwn() {
        StringBuilder big = new StringBuilder("{");
        for (int i = 0; i < 40; i++) {
            big.append(i == 0 ? "" : ",").append("\"m").append(i % 30).append("\":").append(i);
        }
        String[] texts = {"{}", "{\"a\":1}", "{\"b\":1,\"a\":2,\"b\":3}", big.append('}').toString()};
        JsonTreeParser parser = new JsonTreeParser(MAPPER);
        for (String text : texts) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            ObjectNode mine = (ObjectNode) parser.parse(b, 0, b.length);
            ObjectNode ref = (ObjectNode) MAPPER.readTree(b);
            assertThat(mine).isEqualTo(ref);
            assertThat(ref).isEqualTo(mine);
            assertThat(mine.hashCode()).isEqualTo(ref.hashCode());
            assertThat(mine.propertyNames()).containsExactlyElementsOf(ref.propertyNames());
            assertThat(MAPPER.writeValueAsString(mine)).isEqualTo(MAPPER.writeValueAsString(ref));
            mine.put("z", 1);
            ref.put("z", 1);
            mine.remove("a");
            ref.remove("a");
            mine.retain("z", "b", "m3");
            ref.retain("z", "b", "m3");
            assertThat(mine).isEqualTo(ref);
            assertThat(MAPPER.writeValueAsString(mine)).isEqualTo(MAPPER.writeValueAsString(ref));
            assertThat(mine.deepCopy()).isEqualTo(ref);
        }
    }
}
