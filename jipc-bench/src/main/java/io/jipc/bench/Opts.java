package io.jipc.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** Tiny {@code --key=value} / {@code --flag} parser, the same shape as the node harness's lib/args.js. */
final class Opts {
    final Map<String, String> map = new LinkedHashMap<>();

    static Opts parse(String[] args, int from) {
        Opts o = new Opts();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                continue;
            }
            int eq = a.indexOf('=');
            if (eq < 0) {
                o.map.put(a.substring(2), "true");
            } else {
                o.map.put(a.substring(2, eq), a.substring(eq + 1));
            }
        }
        return o;
    }

    Opts with(String key, Object value) {
        map.put(key, String.valueOf(value));
        return this;
    }

    Opts copy() {
        Opts o = new Opts();
        o.map.putAll(map);
        return o;
    }

    boolean has(String key) {
        return map.containsKey(key);
    }

    String str(String key, String def) {
        return map.getOrDefault(key, def);
    }

    int i(String key, int def) {
        String v = map.get(key);
        return v == null ? def : Integer.parseInt(v);
    }

    double d(String key, double def) {
        String v = map.get(key);
        return v == null ? def : Double.parseDouble(v);
    }

    boolean flag(String key) {
        String v = map.get(key);
        return v != null && !v.equals("false") && !v.equals("0");
    }

    /** @return the options as {@code --k=v} arguments */
    java.util.List<String> args() {
        java.util.List<String> out = new java.util.ArrayList<>();
        map.forEach((k, v) -> out.add("--" + k + "=" + v));
        return out;
    }
}
