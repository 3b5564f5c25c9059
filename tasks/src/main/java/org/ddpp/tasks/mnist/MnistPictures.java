package org.ddpp.tasks.mnist;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Binarised digits as a PNG grid: ink black on white, each pixel drawn as a {@code scale × scale} square, digits
 * separated by a grey gutter. Used for the MNIST benchmark's picture of each method's samples.
 */
final class MnistPictures {

    private static final int INK = 0x000000;
    private static final int PAPER = 0xFFFFFF;
    private static final int GUTTER = 0xB0B0B0;

    private MnistPictures() {}

    /**
     * Writes the first {@code columns · rows} digits of {@code digits} (row-major pixels of {@code side²}) to
     * {@code file}.
     */
    static Path writeGrid(Path file, int[][] digits, int side, int columns, int rows, int scale) throws IOException {
        int gap = Math.max(1, scale / 2);
        int cell = side * scale + gap;
        BufferedImage img = new BufferedImage(columns * cell + gap, rows * cell + gap, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, GUTTER);
            }
        }
        int n = Math.min(digits.length, columns * rows);
        for (int k = 0; k < n; k++) {
            int x0 = gap + (k % columns) * cell;
            int y0 = gap + (k / columns) * cell;
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    int rgb = digits[k][r * side + c] == 1 ? INK : PAPER;
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            img.setRGB(x0 + c * scale + dx, y0 + r * scale + dy, rgb);
                        }
                    }
                }
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
        return file;
    }
}
