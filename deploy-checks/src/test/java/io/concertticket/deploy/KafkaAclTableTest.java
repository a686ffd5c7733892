package io.concertticket.deploy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * local-infra's Kafka ACL table (which InfraMain --kafka-sasl and Compose apply) is what asyncapi.yaml says each
 * service sends and receives, and covers every topic a service's configuration uses.
 */
class KafkaAclTableTest {

    @Test
    void theTableGrantsExactlyWhatAsyncApiSaysEachServiceSendsAndReceives() {
        Set<KafkaAccess.Acl> table = KafkaAccess.table();
        Set<KafkaAccess.Acl> expected = KafkaAccess.expectedFromContract();
        assertThat(KafkaAccess.byUser(table)).as(KafkaAccess.TABLE + " against asyncapi.yaml").isEqualTo(KafkaAccess.byUser(expected));
        assertThat(table.stream().filter(a -> a.name().equals("payment.payment-events") && a.operation().equals("Write")).map(KafkaAccess.Acl::user))
                .as("who may publish a PaymentCompleted").containsExactly("payment-service");
    }

    @Test
    void everyTopicAServiceIsConfiguredToUseIsOneItsKafkaUserMayUse() {
        List<String> problems = new ArrayList<>();
        Set<KafkaAccess.Acl> table = KafkaAccess.table();
        for (String service : Repository.services()) {
            Set<String> allowed = new TreeSet<>();
            table.stream().filter(a -> a.user().equals(service) && a.resource().equals("topic")).forEach(a -> allowed.add(a.name()));
            for (String topic : ServiceSettings.of(service).topics()) {
                if (!allowed.contains(topic)) {
                    problems.add(service + " uses the topic " + topic + " but its Kafka user may not (" + KafkaAccess.TABLE + ")");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void noUserMayDoMoreThanReadAndWriteNamedTopicsAndReadItsOwnGroups() {
        List<String> problems = new ArrayList<>();
        for (KafkaAccess.Acl a : KafkaAccess.table()) {
            boolean topic = a.resource().equals("topic") && a.pattern().equals("literal") && Set.of("Read", "Write").contains(a.operation());
            boolean group = a.resource().equals("group") && a.operation().equals("Read") && a.name().startsWith(a.user());
            if (!(topic || group) || a.name().equals("*")) {
                problems.add(a.toString());
            }
        }
        assertThat(problems).as("ACLs beyond Read/Write on a named topic and Read on the user's own group(s)").isEmpty();
    }
}
