package berth.e2e;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Activity" in Chromium: a project's ADMIN filters the project's audit log by who, action,
 * repository and time, pages through it and downloads the filter's records as CSV; a MEMBER gets the
 * 403 page; a system administrator reads the whole log from the navigation.
 */
class ActivityConsoleE2EIT extends ConsoleE2E {

    private static final String BOSS = "activity-boss@example.test";
    private static final String DEV = "activity-dev@example.test";
    private static final String PASSWORD = "activity-password-1";
    /** More role changes than one page (50) holds. */
    private static final int ROLE_CHANGES = 52;

    @Test
    void an_admin_filters_pages_and_downloads_the_activity_a_member_is_refused() throws Exception {
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, "audited");
        api.createAccount(BOSS, PASSWORD);
        api.createAccount(DEV, PASSWORD);
        api.putMember("audited", BOSS, "ADMIN");
        api.putMember("audited", DEV, "MEMBER");
        for (int i = 0; i < ROLE_CHANGES; i++) {
            assertThat(api.put("/api/v1/projects/audited/members/" + DEV, BOSS, PASSWORD,
                    Map.of("role", i % 2 == 0 ? "ADMIN" : "MEMBER")).status()).isEqualTo(200);
        }
        String appkey = api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, "audited");
        // Pushed over the registry API itself: this Berth's token realm is the public URL, which skopeo cannot reach.
        for (String repository : List.of("audited/app", "audited/other")) {
            push(appkey, repository, "v1");
        }
        // Pushes reach the log through the event publication registry, a moment after the 201.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (api.get("/api/v1/projects/audited/audit?action=PUSH", ADMIN_EMAIL, ADMIN_PASSWORD).json().path("totalItems").asLong() < 2) {
            assertThat(System.nanoTime()).as("both pushes in the audit log within 20 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        long total = api.get("/api/v1/projects/audited/audit", ADMIN_EMAIL, ADMIN_PASSWORD).json().path("totalItems").asLong();
        // created, two members added, the boss's role changes, two pushes
        assertThat(total).isEqualTo(1 + 2 + ROLE_CHANGES + 2);

        signIn(BOSS, PASSWORD);
        page.navigate(url("/projects/audited"));
        page.locator("#activity-link").click();
        assertThat(page).hasURL(url("/projects/audited/activity"));
        Locator position = page.locator("#activity-page");
        assertThat(position).hasText("Page 1 of 2 · " + total + " records");
        assertThat(page.locator("#activity-previous")).isDisabled();
        assertThat(page.locator("#activity-records")).containsText("audited/other:v1");
        Screenshots.save(page, "project-activity");
        page.locator("#activity-next").click();
        assertThat(position).hasText("Page 2 of 2 · " + total + " records");
        assertThat(page.locator("#activity-next")).isDisabled();
        // The oldest record comes last.
        assertThat(page.locator("#activity-records")).containsText("Project created");

        Locator actor = page.locator("#activity-actor input");
        actor.fill(BOSS);
        actor.press("Enter");
        assertThat(position).hasText("Page 1 of 2 · " + ROLE_CHANGES + " records");

        Download download = page.waitForDownload(() -> page.locator("#activity-csv").click());
        assertThat(download.suggestedFilename()).isEqualTo("berth-audit-audited.csv");
        List<String> lines = Files.readAllLines(download.path());
        assertThat(lines.getFirst()).isEqualTo("at,actor,address,via,action,project,repository,tag,digest,outcome,detail,occurrences");
        assertThat(lines).hasSize(1 + ROLE_CHANGES);
        assertThat(lines.subList(1, lines.size())).allSatisfy(line -> assertThat(line.split(",")).satisfies(cells -> {
            assertThat(cells[1]).isEqualTo(BOSS);
            assertThat(cells[4]).isEqualTo("MEMBER_CHANGED");
            assertThat(cells[5]).isEqualTo("audited");
        }));
        assertThat(lines.get(1)).contains(DEV + ": ");

        actor.fill("");
        actor.press("Enter");
        page.locator("#activity-repository input").fill("app");
        page.locator("#activity-repository input").press("Enter");
        assertThat(position).hasText("Page 1 of 1 · 1 records");
        assertThat(page.locator("#activity-records")).containsText("audited/app:v1");
        assertThat(page.locator("#activity-records")).not().containsText("audited/other");

        page.locator("#activity-repository input").fill("");
        page.locator("#activity-repository input").press("Enter");
        page.locator("#activity-action").click();
        page.locator("vaadin-select-item").filter(new Locator.FilterOptions().setHasText("Push")).click();
        assertThat(position).hasText("Page 1 of 1 · 2 records");

        // A time range that ended yesterday holds none of today's records.
        java.time.LocalDate yesterday = java.time.LocalDate.now().minusDays(1);
        page.locator("#activity-to vaadin-date-picker input").fill(yesterday.getMonthValue() + "/" + yesterday.getDayOfMonth() + "/" + yesterday.getYear());
        page.locator("#activity-to vaadin-date-picker input").press("Enter");
        page.locator("#activity-to vaadin-time-picker input").fill("11:00 PM");
        page.locator("#activity-to vaadin-time-picker input").press("Enter");
        assertThat(position).hasText("Page 1 of 1 · 0 records");
        assertThat(page.locator("#activity-records")).containsText("No activity matches these filters.");

        Page member = anotherBrowser();
        signIn(member, DEV, PASSWORD);
        assertAdminsOnly(member, "audited", "activity", "#activity-records");
        assertThat(member.locator("vaadin-side-nav-item").filter(new Locator.FilterOptions().setHasText("Activity"))).hasCount(0);
        member.navigate(url("/activity"));
        assertThat(member.locator("#error-title")).hasText("Not allowed");
        assertThat(api.get("/api/v1/projects/audited/audit.csv", DEV, PASSWORD).status()).isEqualTo(403);
    }

    @Test
    void a_system_admin_reads_the_whole_log_with_failed_sign_ins() {
        String stranger = "nobody-" + Instant.now().toEpochMilli() + "@example.test";
        assertThat(api.token(stranger, "wrong-password", "").status()).isEqualTo(401);
        signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
        page.navigate(url("/projects"));
        page.locator("vaadin-side-nav-item").filter(new Locator.FilterOptions().setHasText("Activity")).click();
        assertThat(page).hasURL(url("/activity"));
        Locator actor = page.locator("#activity-actor input");
        actor.fill(stranger);
        actor.press("Enter");
        assertThat(page.locator("#activity-page")).hasText("Page 1 of 1 · 1 records");
        assertThat(page.locator("#activity-records")).containsText("Failed sign-in");
        Screenshots.save(page, "activity");

        BerthApiCsv csv = new BerthApiCsv(api.get("/api/v1/audit.csv?actor=" + stranger, ADMIN_EMAIL, ADMIN_PASSWORD));
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.lines()).hasSize(2);
        assertThat(csv.lines().get(1)).contains("," + stranger + ",").contains(",LOGIN_FAILED,");
    }

    /** A one-layer image, pushed as a client would: a token, two monolithic blob uploads, the manifest by tag. */
    private void push(String appkey, String repository, String tag) {
        String scope = java.net.URLEncoder.encode("repository:" + repository + ":push,pull", java.nio.charset.StandardCharsets.UTF_8);
        String token = api.token(ADMIN_EMAIL, appkey, "service=berth-registry&scope=" + scope).text("token");
        assertThat(token).isNotEmpty();
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] layer = ("layer of " + repository).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (byte[] blob : List.of(config, layer)) {
            berth.testing.BerthApi.Reply uploaded = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    url("/v2/" + repository + "/blobs/uploads/?digest=" + sha256(blob))))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(blob)));
            assertThat(uploaded.status()).as(uploaded.raw()).isEqualTo(201);
        }
        String manifest = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
                "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},\
                "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%d}]}"""
                .formatted(sha256(config), config.length, sha256(layer), layer.length);
        berth.testing.BerthApi.Reply put = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                url("/v2/" + repository + "/manifests/" + tag)))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(manifest)));
        assertThat(put.status()).as(put.raw()).isEqualTo(201);
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record BerthApiCsv(int status, String contentType, List<String> lines) {
        BerthApiCsv(berth.testing.BerthApi.Reply reply) {
            this(reply.status(), reply.headers().firstValue("Content-Type").orElse(""), reply.raw().lines().toList());
        }
    }
}
