package berth.base.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.page.ExtendedClientDetails;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;

/** How the console writes sizes and times: human units, relative times with the exact one on hover. */
public final class Formats {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Formats() {
    }

    /** 1536 → "1.5 KiB"; binary units, as registries and the Docker CLI count layers. */
    public static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : "%.1f %s", value, UNITS[unit]);
    }

    /** "1.5 KiB (1536 B)"; the exact count only where the unit rounds. */
    public static String sizeWithBytes(long bytes) {
        return bytes < 1024 ? size(bytes) : size(bytes) + " (" + bytes + " B)";
    }

    private static Locale locale() {
        com.vaadin.flow.component.UI ui = com.vaadin.flow.component.UI.getCurrent();
        return ui == null ? Locale.ENGLISH : ui.getLocale();
    }

    /** Date and time in the browser's time zone (the server's until the browser has told it), zone named. */
    public static String exact(Instant instant, Locale locale) {
        ZoneId zone = zone();
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(locale).withZone(zone).format(instant)
                + " " + DateTimeFormatter.ofPattern("zzz", locale).withZone(zone).format(instant);
    }

    /** The browser's time zone (the server's until the browser has told it): what times typed in the console mean. */
    public static ZoneId zone() {
        com.vaadin.flow.component.UI ui = com.vaadin.flow.component.UI.getCurrent();
        ExtendedClientDetails details = ui == null ? null : ui.getPage().getExtendedClientDetails();
        if (details != null && details.getTimeZoneId() != null && !details.getTimeZoneId().isBlank()) {
            try {
                return ZoneId.of(details.getTimeZoneId());
            } catch (java.time.DateTimeException e) {
                return ZoneId.systemDefault();
            }
        }
        return ZoneId.systemDefault();
    }

    /** "3 minutes ago" in the UI's language, with the exact time as tooltip. */
    public static Component relative(Component owner, Instant instant, Clock clock) {
        Span span = new Span(relativeText(owner, instant, clock));
        span.getElement().setAttribute("title", exact(instant, locale()));
        return span;
    }

    public static String relativeText(Component owner, Instant instant, Clock clock) {
        Duration ago = Duration.between(instant, clock.instant());
        if (ago.isNegative() || ago.toSeconds() < 45) {
            return owner.getTranslation("time.just-now");
        }
        if (ago.toMinutes() < 60) {
            return owner.getTranslation("time.minutes-ago", Math.max(1, ago.toMinutes()));
        }
        if (ago.toHours() < 24) {
            return owner.getTranslation("time.hours-ago", ago.toHours());
        }
        if (ago.toDays() < 60) {
            return owner.getTranslation("time.days-ago", ago.toDays());
        }
        return exact(instant, locale());
    }
}
