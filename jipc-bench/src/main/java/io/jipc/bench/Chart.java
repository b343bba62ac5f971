package io.jipc.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** A small headless bar-chart renderer (java.awt + ImageIO): a grid of grouped-bar panels, optionally log-scaled. */
final class Chart {
    static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0x9ecae1), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0x98df8a),
        new Color(0xd62728), new Color(0x9467bd)};

    /** A fixed colour per series name, so that every panel colours jipc, node-ipc and C alike. */
    static Color colour(String series, int index) {
        return switch (series) {
            case "jipc" -> new Color(0x1f77b4);
            case "jipc warm" -> new Color(0x08306b);   // dark: it stands next to jipc raw in the flood panels
            case "jipc raw" -> new Color(0x9ecae1);
            case "jipc raw warm" -> new Color(0x4292c6);
            case "node-ipc 14" -> new Color(0xff7f0e);
            case "C", "C 1 write/frame" -> new Color(0x2ca02c);
            case "C batched" -> new Color(0x98df8a);
            default -> PALETTE[index % PALETTE.length];
        };
    }

    /** One panel: groups along x, one bar per series in each group; NaN = no bar. */
    record Panel(String title, String unit, boolean log, List<String> groups, List<String> series, double[][] values) {
    }

    private final List<Panel> panels = new ArrayList<>();
    private final String title;

    Chart(String title) {
        this.title = title;
    }

    Chart add(Panel p) {
        panels.add(p);
        return this;
    }

    void write(Path png, int cols) throws IOException {
        int pw = 560;
        int ph = 380;
        int rows = (panels.size() + cols - 1) / cols;
        int w = pw * cols;
        int h = ph * rows + 50;
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(title, 16, 32);
        for (int i = 0; i < panels.size(); i++) {
            int x0 = (i % cols) * pw;
            int y0 = 50 + (i / cols) * ph;
            draw(g, panels.get(i), x0, y0, pw, ph);
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static void draw(Graphics2D g, Panel p, int x0, int y0, int pw, int ph) {
        int left = x0 + 70;
        int right = x0 + pw - 15;
        int top = y0 + 30;
        int bottom = y0 + ph - 95;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(p.title(), x0 + 12, y0 + 18);
        double max = 0;
        double min = Double.MAX_VALUE;
        for (double[] row : p.values()) {
            for (double v : row) {
                if (!Double.isNaN(v) && v > 0) {
                    max = Math.max(max, v);
                    min = Math.min(min, v);
                }
            }
        }
        if (max == 0) {
            g.drawString("(no data)", left + 20, top + 40);
            return;
        }
        double lo;
        double hi;
        if (p.log()) {
            lo = Math.floor(Math.log10(min));
            hi = Math.ceil(Math.log10(max));
            if (hi == lo) {
                hi = lo + 1;
            }
        } else {
            lo = 0;
            hi = niceCeil(max);
        }
        // axes and grid
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        int ticks = p.log() ? (int) (hi - lo) : 5;
        for (int t = 0; t <= ticks; t++) {
            double frac = t / (double) ticks;
            int y = (int) (bottom - frac * (bottom - top));
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            double v = p.log() ? Math.pow(10, lo + t) : lo + frac * (hi - lo);
            String s = human(v);
            g.drawString(s, left - 6 - fm.stringWidth(s), y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawLine(left, top, left, bottom);
        g.drawLine(left, bottom, right, bottom);
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(-Math.PI / 2);
        r.drawString(p.unit() + (p.log() ? " (log)" : ""), -(bottom + top) / 2 - fm.stringWidth(p.unit()) / 2, x0 + 14);
        r.dispose();
        int groups = p.groups().size();
        int series = p.series().size();
        double gw = (right - left) / (double) groups;
        double bw = Math.max(4, (gw - 16) / series);
        for (int gi = 0; gi < groups; gi++) {
            double gx = left + gi * gw + 8;
            for (int si = 0; si < series; si++) {
                double v = p.values()[gi][si];
                int bx = (int) (gx + si * bw);
                if (Double.isNaN(v) || v <= 0) {
                    g.setColor(Color.GRAY);
                    g.drawString("–", bx + (int) bw / 2 - 3, bottom - 4);
                    continue;
                }
                double frac = p.log() ? (Math.log10(v) - lo) / (hi - lo) : (v - lo) / (hi - lo);
                int y = (int) (bottom - Math.max(0, Math.min(1, frac)) * (bottom - top));
                g.setColor(colour(p.series().get(si), si));
                g.fillRect(bx, y, (int) bw - 2, bottom - y);
                g.setColor(Color.DARK_GRAY);
                g.setStroke(new BasicStroke(1));
                g.drawRect(bx, y, (int) bw - 2, bottom - y);
                if (bw >= 22) {
                    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
                    String s = human(v);
                    g.drawString(s, bx + ((int) bw - 2 - g.getFontMetrics().stringWidth(s)) / 2, y - 2);
                    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                }
            }
            g.setColor(Color.BLACK);
            String gl = p.groups().get(gi);
            g.drawString(gl, (int) (left + gi * gw + gw / 2 - fm.stringWidth(gl) / 2.0), bottom + 15);
        }
        // legend
        int lx = left;
        int ly = bottom + 32;
        for (int si = 0; si < series; si++) {
            String s = p.series().get(si);
            int sw = fm.stringWidth(s) + 26;
            if (lx + sw > right) {
                lx = left;
                ly += 16;
            }
            g.setColor(colour(p.series().get(si), si));
            g.fillRect(lx, ly - 9, 12, 10);
            g.setColor(Color.BLACK);
            g.drawString(s, lx + 16, ly);
            lx += sw;
        }
    }

    private static double niceCeil(double v) {
        double e = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * e >= v) {
                return m * e;
            }
        }
        return 10 * e;
    }

    static String human(double v) {
        if (v >= 1e9) {
            return String.format(Locale.ROOT, "%.3gG", v / 1e9);
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.3gM", v / 1e6);
        }
        if (v >= 1e4) {
            return String.format(Locale.ROOT, "%.3gk", v / 1e3);
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.3g", v);
    }
}
