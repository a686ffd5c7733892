package io.concertticket.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The offline validator is only worth something if it rejects what an API server would reject. */
class KubernetesSchemaValidatorTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: demo
            spec:
              selector:
                matchLabels: {app: demo}
              template:
                metadata:
                  labels: {app: demo}
                spec:
                  containers:
                    - name: demo
                      image: demo:1
                      ports:
                        - containerPort: 8080
                      resources:
                        limits: {memory: 512Mi}
            """;

    private static List<String> problems(String yaml) {
        List<com.fasterxml.jackson.databind.node.ObjectNode> docs = Kustomize.parse(yaml);
        assertThat(docs).hasSize(1);
        return KubernetesSchemas.validate(docs.get(0));
    }

    @Test
    void aWellFormedDeploymentPasses() {
        assertThat(problems(DEPLOYMENT)).isEmpty();
    }

    @Test
    void aMisspelledFieldIsRejected() {
        assertThat(problems(DEPLOYMENT.replace("ports:", "portz:"))).singleElement().asString().contains("portz");
    }

    @Test
    void aMissingRequiredFieldIsRejected() {
        assertThat(problems(DEPLOYMENT.replace("- name: demo\n          image", "- image")))
                .anySatisfy(p -> assertThat(p).contains("name"));
    }

    @Test
    void aValueOfTheWrongTypeIsRejected() {
        assertThat(problems(DEPLOYMENT.replace("containerPort: 8080", "containerPort: [8080]"))).isNotEmpty();
        assertThat(problems(DEPLOYMENT.replace("containerPort: 8080", "containerPort: eighty"))).isNotEmpty();
    }

    @Test
    void aMalformedQuantityIsRejected() {
        assertThat(problems(DEPLOYMENT.replace("memory: 512Mi", "memory: 512 megabytes"))).isNotEmpty();
    }

    @Test
    void aSelectorThatDoesNotMatchThePodLabelsIsRejected() {
        assertThat(problems(DEPLOYMENT.replace("matchLabels: {app: demo}", "matchLabels: {app: other}")))
                .anySatisfy(p -> assertThat(p).contains("selector"));
    }

    @Test
    void anInvalidNameIsRejected() {
        assertThat(problems(DEPLOYMENT.replace("name: demo\nspec", "name: Demo_1\nspec"))).anySatisfy(p -> assertThat(p).contains("DNS-1123"));
    }

    @Test
    void anUnknownKindOrApiVersionIsRejected() {
        assertThat(problems(DEPLOYMENT.replace("apps/v1", "apps/v1beta1"))).anySatisfy(p -> assertThat(p).contains("no schema"));
    }

    @Test
    void kafkaTopicsAreCheckedAgainstOurSchema() {
        String topic = """
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata:
                  name: demo.events
                  labels: {strimzi.io/cluster: demo}
                spec:
                  partitions: 6
                  replicas: 3
                  config: {retention.ms: 604800000}
                """;
        assertThat(problems(topic)).isEmpty();
        assertThat(problems(topic.replace("partitions: 6", "partitions: 0"))).isNotEmpty();
        assertThat(problems(topic.replace("replicas: 3", "replica: 3"))).isNotEmpty();
        assertThat(problems(topic.replace("labels: {strimzi.io/cluster: demo}", "labels: {}"))).isNotEmpty();
    }
}
