package org.ddpp.ops.dashboard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.ddpp.schemas.avro.Metrics;

/**
 * The JSON the page and the {@code /api} endpoints read, written in one place so the SSE events and the REST
 * answers agree. Times are epoch milliseconds; non-finite figures become {@code null} (JSON has no NaN).
 */
final class DashboardJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private DashboardJson() {}

    /** One metrics record: role, instance, run, at, values, labels. */
    static String metrics(Metrics m) {
        return write(g -> writeMetrics(g, m));
    }

    /** Everything kept: {@code records}, {@code series[]} (role, instance, figure, t[], v[]), {@code latest[]}. */
    static String history(long records, List<MetricsHistory.SeriesView> series, List<Metrics> latest) {
        return write(g -> {
            g.writeStartObject();
            g.writeNumberField("records", records);
            g.writeArrayFieldStart("series");
            for (MetricsHistory.SeriesView s : series) {
                g.writeStartObject();
                g.writeStringField("role", s.role());
                g.writeStringField("instance", s.instance());
                g.writeStringField("figure", s.figure());
                g.writeArrayFieldStart("t");
                for (long t : s.times()) {
                    g.writeNumber(t);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("v");
                for (double v : s.values()) {
                    writeDouble(g, v);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("latest");
            for (Metrics m : latest) {
                writeMetrics(g, m);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** A grid picture: side, policyVersion, at, tv, policy[], target[]. */
    static String grid(GridPicture p) {
        return write(g -> {
            g.writeStartObject();
            g.writeNumberField("side", p.side());
            g.writeNumberField("policyVersion", p.policyVersion());
            g.writeNumberField("at", p.at().toEpochMilli());
            g.writeFieldName("tv");
            writeDouble(g, p.tv());
            writeFloats(g, "policy", p.policy());
            writeFloats(g, "target", p.target());
            g.writeEndObject();
        });
    }

    /** The health answer. */
    static String health(boolean following, long records, int clients) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("status", following ? "UP" : "STARTING");
            g.writeNumberField("records", records);
            g.writeNumberField("clients", clients);
            g.writeEndObject();
        });
    }

    private static void writeMetrics(JsonGenerator g, Metrics m) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", m.getRole());
        g.writeStringField("instance", m.getInstance());
        g.writeStringField("run", m.getRun());
        g.writeNumberField("at", m.getAt().toEpochMilli());
        g.writeObjectFieldStart("values");
        for (Map.Entry<String, Double> e : m.getValues().entrySet()) {
            g.writeFieldName(e.getKey());
            writeDouble(g, e.getValue() == null ? Double.NaN : e.getValue());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("labels");
        for (Map.Entry<String, String> e : m.getLabels().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeFloats(JsonGenerator g, String field, float[] values) throws IOException {
        g.writeArrayFieldStart(field);
        for (float v : values) {
            if (v == 0f) {
                g.writeNumber(0); // most cells are empty: "0" instead of "0.0"
            } else {
                g.writeNumber(v);
            }
        }
        g.writeEndArray();
    }

    private static void writeDouble(JsonGenerator g, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeNull();
        }
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }
}
