package berth.base;

import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An address under {@code /api/} or {@code /auth/} that no endpoint has is a JSON 404: without this
 * it fell through to the console, which answers every path with its page and 200. Every real
 * endpoint's pattern is more specific, so it wins.
 */
@RestController
class UnknownApiPaths {

    @RequestMapping({"/api/**", "/auth/**"})
    void none() {
        throw new NotFoundException("There is nothing at this address.");
    }
}
