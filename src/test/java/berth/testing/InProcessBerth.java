package berth.testing;

import berth.BerthApplication;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.AliasFor;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactories;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * A test class with Berth started in the test's JVM on a random port, with the test profile (its
 * administrator), its data in a new scratch directory named after {@link #data()} and, unless the
 * test wants the real thing, a catalog that syncs only when the test asks. The data directory is
 * part of the context's identity, so each class that names its own gets a Berth of its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(classes = BerthApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ContextCustomizerFactories(InProcessBerth.FreshData.class)
public @interface InProcessBerth {

    /** The prefix of the scratch directory Berth keeps its data in. */
    String data();

    /** {@link TestSettings#catalogSyncOnlyWhenAsked()}: neither at start nor on a schedule. */
    boolean catalogSyncOnlyWhenAsked() default true;

    /** More settings, {@code name=value}. */
    @AliasFor(annotation = SpringBootTest.class, attribute = "properties")
    String[] properties() default {};

    /** Writes {@link InProcessBerth}'s settings through {@link TestSettings}, as a test's {@code @DynamicPropertySource} would. */
    final class FreshData implements ContextCustomizerFactory {

        @Override
        public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
            var found = MergedAnnotations.from(testClass, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY).get(InProcessBerth.class);
            return found.isPresent() ? new Settings(found.getString("data"), found.getBoolean("catalogSyncOnlyWhenAsked")) : null;
        }
    }

    /** Equal for equal attributes, so Spring's context cache tells the classes' Berths apart by them. */
    record Settings(String data, boolean catalogSyncOnlyWhenAsked) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration configuration) {
            Map<String, Object> values = new LinkedHashMap<>();
            TestSettings settings = TestSettings.of((name, value) -> values.put(name, value.get())).freshData(data);
            if (catalogSyncOnlyWhenAsked) {
                settings.catalogSyncOnlyWhenAsked();
            }
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("inProcessBerth", values));
        }
    }
}
