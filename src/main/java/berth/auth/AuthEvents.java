package berth.auth;

import berth.base.RequestOrigin;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/** Publishes {@link AuthEvent}s with the address and channel of the request being served. */
@Component
record AuthEvents(ApplicationEventPublisher publisher, Clock clock) {

    void publish(AuthEvent.Kind kind, String actor, @Nullable String project, String detail) {
        RequestOrigin origin = RequestOrigin.current();
        publisher.publishEvent(new AuthEvent(kind, clock.instant(), actor, origin.address(), origin.via(), project, detail));
    }
}
