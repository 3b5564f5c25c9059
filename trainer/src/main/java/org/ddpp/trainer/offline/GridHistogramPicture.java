package org.ddpp.trainer.offline;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws grid distributions (128×128 tables) side by side as heat maps in one PNG, headless, so a benchmark report
 * shows where each method puts its samples next to the target. Intensity is mass relative to each panel's
 * maximum cell.
 */
final class GridHistogramPicture {

    private static final int SCALE = 2;
    private static final int PAD = 12;
    private static final int TITLE = 18;

    /** A titled panel: a table of {@code side×side} probabilities, row = first token. */
    record Panel(String title, double[] table) {}

    private GridHistogramPicture() {}

    static void write(Path file, int side, List<Panel> panels) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int cell = side * SCALE;
        int width = PAD + panels.size() * (cell + PAD);
        int height = PAD + TITLE + cell + PAD;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int p = 0; p < panels.size(); p++) {
            int x0 = PAD + p * (cell + PAD);
            int y0 = PAD + TITLE;
            g.setColor(Color.BLACK);
            g.drawString(panels.get(p).title(), x0, PAD + 11);
            double[] t = panels.get(p).table();
            double max = 0;
            for (double v : t) {
                max = Math.max(max, v);
            }
            for (int a = 0; a < side; a++) {
                for (int b = 0; b < side; b++) {
                    double v = max > 0 ? t[a * side + b] / max : 0;
                    int shade = 255 - (int) Math.round(255 * Math.sqrt(v));
                    g.setColor(new Color(shade, shade, 255));
                    // first token on the horizontal axis, second token upward
                    g.fillRect(x0 + a * SCALE, y0 + (side - 1 - b) * SCALE, SCALE, SCALE);
                }
            }
            g.setColor(Color.GRAY);
            g.drawRect(x0, y0, cell, cell);
            g.drawLine(x0 + cell / 2, y0, x0 + cell / 2, y0 + cell);
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }
}
