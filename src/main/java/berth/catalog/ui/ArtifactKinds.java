package berth.catalog.ui;

import com.vaadin.flow.component.Component;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What an attached artifact is, in words a reader knows (a cosign or Notation signature, an SPDX or
 * CycloneDX SBOM, an in-toto attestation), from its artifact type; any other type is shown as it is.
 */
final class ArtifactKinds {

    private ArtifactKinds() {
    }

    static String label(Component where, @Nullable String artifactType) {
        if (artifactType == null || artifactType.isBlank()) {
            return where.getTranslation("catalog.attached.unknown");
        }
        String key = key(artifactType.toLowerCase(Locale.ROOT));
        return key == null ? artifactType : where.getTranslation(key);
    }

    private static @Nullable String key(String type) {
        if (type.contains("cosign") && (type.contains("sig") || type.contains("simplesigning"))) {
            return "catalog.attached.cosign";
        }
        if (type.contains("notary") || type.contains("notation")) {
            return "catalog.attached.notation";
        }
        if (type.contains("spdx")) {
            return "catalog.attached.spdx";
        }
        if (type.contains("cyclonedx")) {
            return "catalog.attached.cyclonedx";
        }
        if (type.contains("in-toto") || type.contains("intoto")) {
            return "catalog.attached.in-toto";
        }
        return null;
    }
}
