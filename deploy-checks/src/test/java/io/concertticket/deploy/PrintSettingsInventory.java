package io.concertticket.deploy;

/**
 * Prints, per service, the environment variables {@link ServiceSettings#variables()} finds, as Markdown
 * rows for docs/deployment.md. Run from the test classpath when a service gained settings.
 */
public final class PrintSettingsInventory {

    private PrintSettingsInventory() {
    }

    public static void main(String[] args) {
        for (String service : Repository.services()) {
            System.out.println("\n### " + service + "\n");
            System.out.println("| variable | setting | default |");
            System.out.println("|---|---|---|");
            for (ServiceSettings.Variable v : ServiceSettings.of(service).variables()) {
                String def = v.defaultValue() == null ? "(none)" : v.defaultValue().isEmpty() ? "(empty)" : "`" + v.defaultValue() + "`";
                System.out.println("| `" + v.name() + "` | `" + v.property() + "` | " + def.replace("|", "\\\\|") + " |");
            }
        }
    }
}
