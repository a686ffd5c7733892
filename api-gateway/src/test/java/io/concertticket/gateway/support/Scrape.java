package io.concertticket.gateway.support;

import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** The gateway's own /q/metrics, scraped for real and read as Prometheus text. */
public final class Scrape {

    private Scrape() {
    }

    /** One scrape of the gateway's metrics. */
    public static String text() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /**
     * The series of one metric in a scrape: its labels as Prometheus prints them (sorted, {@code a="x",b="y"}) →
     * value. A line may carry an exemplar after the value (with tracing); the value is the field after the labels.
     */
    public static Map<String, Double> series(String scrape, String name) {
        Map<String, Double> series = new HashMap<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{")) {
                String labels = line.substring(line.indexOf('{') + 1, line.indexOf('}'));
                series.put(labels.endsWith(",") ? labels.substring(0, labels.length() - 1) : labels,
                        Double.parseDouble(line.substring(line.indexOf('}') + 1).trim().split("\\s+")[0]));
            }
        }
        return series;
    }
}
