package org.ddpp.tasks.sentiment;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Shows generated sentences per method: a markdown list (the text itself, for reading and diffing) and the same
 * lines drawn into a PNG (so the benchmark report, which embeds pictures, shows them inline). Each line is a
 * sentence with its classifier score.
 */
final class TextSamplesPicture {

    /** One method's shown samples: its name and lines of {@code (score, text)}. */
    record Section(String method, List<Line> lines) {}

    /** One sample line. */
    record Line(double score, String text) {}

    private static final int WIDTH = 1400;
    private static final int LINE = 18;
    private static final int MAX_CHARS = 150;

    private TextSamplesPicture() {}

    /** Writes {@code <name>.md} and {@code <name>.png} under {@code dir}; returns the PNG (or nothing if drawing is impossible). */
    static List<Path> write(Path dir, String name, String scoreName, List<Section> sections) throws IOException {
        Files.createDirectories(dir);
        StringBuilder md = new StringBuilder("# Samples per method\n\nEach line: " + scoreName + ", then the sentence.\n");
        for (Section s : sections) {
            md.append("\n## ").append(s.method()).append("\n\n");
            for (Line l : s.lines()) {
                md.append(String.format("- %.2f — %s%n", l.score(), l.text().replace("\n", " ")));
            }
        }
        Files.writeString(dir.resolve(name + ".md"), md.toString(), StandardCharsets.UTF_8);
        List<Path> out = new ArrayList<>();
        try {
            out.add(png(dir.resolve(name + ".png"), scoreName, sections));
        } catch (RuntimeException | Error e) { // headless hosts without fonts cannot draw text
            org.slf4j.LoggerFactory.getLogger(TextSamplesPicture.class).warn("no PNG of the samples ({}); see {}.md", e.toString(), name);
        }
        return out;
    }

    private static Path png(Path file, String scoreName, List<Section> sections) throws IOException {
        int rows = 2;
        for (Section s : sections) {
            rows += s.lines().size() + 2;
        }
        BufferedImage image = new BufferedImage(WIDTH, rows * LINE + 10, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            Font plain = new Font(Font.MONOSPACED, Font.PLAIN, 13);
            Font bold = new Font(Font.MONOSPACED, Font.BOLD, 14);
            int y = LINE;
            g.setColor(Color.DARK_GRAY);
            g.setFont(plain);
            g.drawString("score = " + scoreName, 10, y);
            y += LINE;
            for (Section s : sections) {
                y += LINE;
                g.setFont(bold);
                g.setColor(Color.BLACK);
                g.drawString(s.method(), 10, y);
                y += LINE;
                g.setFont(plain);
                for (Line l : s.lines()) {
                    g.setColor(l.score() > 0.5 ? new Color(0, 110, 40) : new Color(170, 30, 30));
                    String text = l.text().length() > MAX_CHARS ? l.text().substring(0, MAX_CHARS - 1) + "…" : l.text();
                    g.drawString(String.format("%.2f  %s", l.score(), text), 20, y);
                    y += LINE;
                }
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
