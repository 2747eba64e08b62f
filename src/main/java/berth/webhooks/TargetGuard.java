package berth.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The SSRF guard: a webhook may not make Berth call into its own network. A URL whose host resolves
 * to a loopback, link-local (cloud metadata included), private, unique-local, carrier-grade NAT,
 * multicast or unspecified address is refused, unless {@code berth.webhooks.allow-private-targets}.
 * Checked when an endpoint is saved and again before every attempt, since DNS answers change.
 */
@Component
record TargetGuard(WebhookSettings settings) {

    /** Why Berth will not call {@code url}, if it will not. */
    Optional<String> refusal(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("A webhook URL starts with http:// or https://.");
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("A webhook URL names a host.");
        }
        if (url.getRawUserInfo() != null) {
            return Optional.of("A webhook URL carries no user name or password; the secret signs the requests.");
        }
        if (settings.allowPrivateTargets()) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return Optional.of("The webhook host " + host + " cannot be resolved.");
        }
        for (InetAddress address : addresses) {
            if (isPrivate(address)) {
                return Optional.of("The webhook host " + host + " resolves to " + address.getHostAddress()
                        + ", a loopback, link-local or private address; Berth calls only public addresses"
                        + " unless berth.webhooks.allow-private-targets=true.");
            }
        }
        return Optional.empty();
    }

    static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0)         // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19))              // benchmarking
                    || first >= 240;                                                 // reserved, broadcast
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // unique local fc00::/7
            }
            // IPv4-mapped (::ffff:a.b.c.d): judged as the IPv4 address it carries.
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPrivate(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }
}
