package io.concertticket.deploy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/deployment.md documents every environment variable every service reads. */
class DeploymentDocTest {

    @Test
    void everyEnvironmentVariableOfEveryServiceIsDocumented() {
        String doc = Repository.read(Repository.resolve("docs/deployment.md"));
        List<String> missing = new ArrayList<>();
        for (String service : Repository.services()) {
            for (ServiceSettings.Variable v : ServiceSettings.of(service).variables()) {
                if (!doc.contains("`" + v.name() + "`")) {
                    missing.add(service + ": " + v.name() + " (" + v.property() + ")");
                }
            }
        }
        assertThat(missing).as("variables missing from docs/deployment.md (PrintSettingsInventory prints the rows)").isEmpty();
    }
}
