package org.ddpp.tasks.sentiment;

/**
 * A logistic-regression head on sentence vectors: {@code logit = w·x + b}, {@code p(positive) = σ(logit)}.
 * Trained by Newton's method (iteratively reweighted least squares) on the L2-penalised log loss
 * {@code Σ log(1 + e^{−y·logit}) + λ/2 |w|²} (the bias is not penalised), which converges in a few exact,
 * deterministic steps for a few hundred features.
 *
 * @param weights w, one per feature
 * @param bias    b
 */
public record LogisticHead(double[] weights, double bias) {

    public LogisticHead {
        weights = weights.clone();
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** The logit of one feature vector. */
    public double logit(float[] x) {
        if (x.length != weights.length) {
            throw new IllegalArgumentException("expected " + weights.length + " features, got " + x.length);
        }
        double z = bias;
        for (int k = 0; k < x.length; k++) {
            z += weights[k] * x[k];
        }
        return z;
    }

    /** Share of {@code x} whose logit sign matches {@code positive}. */
    public double accuracy(float[][] x, boolean[] positive) {
        int right = 0;
        for (int i = 0; i < x.length; i++) {
            right += (logit(x[i]) > 0) == positive[i] ? 1 : 0;
        }
        return x.length == 0 ? Double.NaN : right / (double) x.length;
    }

    /** Fits a head to {@code x} (rows of equal length) and labels with L2 strength {@code lambda}, in {@code iterations} Newton steps. */
    public static LogisticHead fit(float[][] x, boolean[] positive, double lambda, int iterations) {
        int n = x.length;
        if (n == 0 || positive.length != n) {
            throw new IllegalArgumentException("need as many labels as rows, and at least one row");
        }
        int d = x[0].length;
        int p = d + 1; // last coordinate is the bias
        double[] theta = new double[p];
        for (int it = 0; it < iterations; it++) {
            double[] grad = new double[p];
            double[][] hess = new double[p][p];
            for (int i = 0; i < n; i++) {
                double z = theta[d];
                for (int k = 0; k < d; k++) {
                    z += theta[k] * x[i][k];
                }
                double s = 1.0 / (1.0 + Math.exp(-z));
                double r = s - (positive[i] ? 1.0 : 0.0);
                double w = Math.max(s * (1 - s), 1e-10);
                for (int a = 0; a < p; a++) {
                    double xa = a < d ? x[i][a] : 1.0;
                    grad[a] += r * xa;
                    double wxa = w * xa;
                    double[] row = hess[a];
                    for (int c = 0; c <= a; c++) {
                        row[c] += wxa * (c < d ? x[i][c] : 1.0);
                    }
                }
            }
            for (int a = 0; a < p; a++) {
                for (int c = 0; c < a; c++) {
                    hess[c][a] = hess[a][c];
                }
                if (a < d) {
                    grad[a] += lambda * theta[a];
                    hess[a][a] += lambda;
                } else {
                    hess[a][a] += 1e-8;
                }
            }
            double[] step = solveSymmetric(hess, grad);
            double change = 0;
            for (int a = 0; a < p; a++) {
                theta[a] -= step[a];
                change = Math.max(change, Math.abs(step[a]));
            }
            if (change < 1e-9) {
                break;
            }
        }
        double[] w = new double[d];
        System.arraycopy(theta, 0, w, 0, d);
        return new LogisticHead(w, theta[d]);
    }

    /** Solves {@code A s = b} for symmetric positive-definite A by Cholesky decomposition. */
    private static double[] solveSymmetric(double[][] a, double[] b) {
        int n = b.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (sum <= 0) {
                        throw new IllegalStateException("logistic head: the Hessian is not positive definite");
                    }
                    l[i][i] = Math.sqrt(sum);
                } else {
                    l[i][j] = sum / l[j][j];
                }
            }
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = b[i];
            for (int k = 0; k < i; k++) {
                sum -= l[i][k] * y[k];
            }
            y[i] = sum / l[i][i];
        }
        double[] s = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double sum = y[i];
            for (int k = i + 1; k < n; k++) {
                sum -= l[k][i] * s[k];
            }
            s[i] = sum / l[i][i];
        }
        return s;
    }
}
