package berth.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starts the Chromium the tests drive: Debian's /usr/bin/chromium when installed (Playwright cannot
 * download its own browser on a closed network), otherwise the one Playwright manages.
 */
public final class Chromium implements AutoCloseable {

    private static final Path SYSTEM_CHROMIUM = Path.of("/usr/bin/chromium");

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static Chromium launch() {
        // Assertions wait only as long as they must; 5 s (Playwright's default) was too short for a
        // first sign-in or a dry run while CI runs other builds beside it, and a slow page is no wrong page.
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
        boolean system = Files.isExecutable(SYSTEM_CHROMIUM);
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(system ? Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1") : Map.of()));
        BrowserType.LaunchOptions options = new BrowserType.LaunchOptions()
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"));
        if (system) {
            options.setExecutablePath(SYSTEM_CHROMIUM);
        }
        return new Chromium(playwright, playwright.chromium().launch(options));
    }

    public Browser browser() {
        return browser;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
