package berth.e2e;

import com.microsoft.playwright.Page;
import java.nio.file.Path;

/** Saves what the browser shows under target/screenshots so a reviewer can look at each step. */
public final class Screenshots {

    private Screenshots() {
    }

    public static void save(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", name + ".png")).setFullPage(true));
    }
}
