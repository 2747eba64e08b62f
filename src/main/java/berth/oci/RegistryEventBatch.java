package berth.oci;

import java.util.List;

/**
 * Registry events of one bulk change - garbage collection removing untagged manifests - published
 * as one. Each listener handles every event of it as it would the event published alone; one
 * publication in the outbox per listener and batch, instead of one per event, is what makes a
 * collection that removes thousands of manifests take seconds rather than minutes.
 *
 * @param events in the order they happened; each keeps its own id, so one handed over again (in a
 *               batch or alone) is still recognised
 */
public record RegistryEventBatch(List<RegistryEvent> events) {

    /** Events per batch: each batch is stored as one row of the outbox, whose column holds a megabyte. */
    public static final int MAX_EVENTS = 1000;

    public RegistryEventBatch {
        events = List.copyOf(events);
        if (events.size() > MAX_EVENTS) {
            throw new IllegalArgumentException("a batch holds at most " + MAX_EVENTS + " events, not " + events.size());
        }
    }

    /** {@code events} cut into batches of at most {@link #MAX_EVENTS}. */
    public static List<RegistryEventBatch> of(List<RegistryEvent> events) {
        List<RegistryEventBatch> batches = new java.util.ArrayList<>();
        for (int from = 0; from < events.size(); from += MAX_EVENTS) {
            batches.add(new RegistryEventBatch(events.subList(from, Math.min(events.size(), from + MAX_EVENTS))));
        }
        return batches;
    }
}
