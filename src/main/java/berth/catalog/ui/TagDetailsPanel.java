package berth.catalog.ui;

import berth.base.ui.Confirmations;
import berth.base.ui.CopyableText;
import berth.base.ui.Formats;
import berth.base.ui.ScreenWidth;
import berth.base.ui.Toasts;
import berth.catalog.Catalog;
import berth.catalog.TagDeletion;
import berth.catalog.TagDetails;
import berth.oci.RepositoryName;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One tag in full: how to pull it, digest, media type, size, created, platforms, layers, config;
 * every digest whole and copyable, times in the reader's zone. ADMINs delete the tag from here.
 */
public class TagDetailsPanel extends VerticalLayout {

    TagDetailsPanel(Catalog catalog, TagDeletion deletion, String me, RepositoryName repository, String tag, String tagsPath, boolean admin) {
        setPadding(false);
        Optional<TagDetails> found = catalog.tag(me, repository, tag);
        H2 heading = new H2(repository + ":" + tag);
        heading.addClassName("berth-break");
        if (found.isEmpty()) {
            Paragraph missing = new Paragraph(getTranslation("catalog.no-such-tag", repository + ":" + tag));
            missing.setId("no-such-tag");
            add(heading, missing);
            return;
        }
        TagDetails details = found.get();
        add(heading);
        Optional<String> protection = deletion.protection(me, repository, tag, getLocale());
        protection.ifPresent(reason -> {
            Paragraph locked = new Paragraph(VaadinIcon.LOCK.create(), new Span(" " + getTranslation("policies.immutable.tag-locked")));
            locked.getElement().setAttribute("title", reason);
            locked.setId("tag-immutable");
            locked.addClassName("berth-break");
            add(locked);
        });
        if (admin && protection.isEmpty()) {
            Button delete = new Button(getTranslation("catalog.delete-tag"), VaadinIcon.TRASH.create(), e -> {
                Paragraph text = new Paragraph(getTranslation("catalog.delete-tag.confirm", repository + ":" + tag));
                text.addClassName("berth-break");
                Confirmations.destructive(getTranslation("catalog.delete-tag"), text, getTranslation("catalog.delete-tag"), () -> {
                    if (Toasts.attempt(() -> deletion.deleteTag(me, repository, tag))) {
                        Toasts.success(getTranslation("catalog.deleted", tag));
                        getUI().ifPresent(ui -> ui.navigate(tagsPath));
                    }
                });
            });
            delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
            delete.setId("delete-tag");
            add(delete);
        }

        Div pull = new Div();
        pull.addClassName("berth-facts");
        pull.addClassName("berth-section");
        pull.add(label("catalog.pull-by-tag"), copyable("docker pull " + details.tag().pullByTag(), "pull-by-tag"),
                label("catalog.pull-by-digest"), copyable("docker pull " + details.tag().pullByDigest(), "pull-by-digest"));
        add(pull);

        Div facts = new Div();
        facts.addClassName("berth-facts");
        facts.addClassName("berth-section");
        facts.add(label("catalog.digest"), copyable(details.tag().digest().toString(), "tag-digest"),
                label("catalog.media-type"), value(details.tag().mediaType(), "tag-media-type"),
                label("catalog.size"), value(Formats.sizeWithBytes(details.tag().size()), "tag-size"));
        if (details.artifactType() != null) {
            facts.add(label("catalog.artifact-type"), value(details.artifactType(), "tag-artifact-type"));
        }
        if (details.createdAt() != null) {
            facts.add(label("catalog.created"), value(Formats.exact(details.createdAt(), getLocale()), "tag-created"));
        }
        facts.add(label("catalog.pushed"), value(Formats.exact(details.tag().pushedAt(), getLocale()), "tag-pushed"),
                label("catalog.pulls"), value(details.tag().pullCount() + (details.tag().lastPulledAt() == null ? ""
                        : " · " + Formats.exact(details.tag().lastPulledAt(), getLocale())), "tag-pulls"));
        add(facts);

        add(attached(details.attached()));
        if (details.image() != null) {
            add(image(details.image(), "image"));
        }
        if (!details.platforms().isEmpty()) {
            add(new H3(getTranslation("catalog.platforms", details.platforms().size())));
            Grid<TagDetails.Platform> platforms = new Grid<>();
            platforms.setId("platforms");
            platforms.addColumn(p -> platformName(p.os(), p.architecture(), p.variant())).setHeader(getTranslation("catalog.platform")).setAutoWidth(true);
            platforms.addComponentColumn(p -> new CopyableText(p.digest().toString()).compact()).setHeader(getTranslation("catalog.digest")).setFlexGrow(3);
            platforms.addColumn(p -> Formats.size(p.size())).setHeader(getTranslation("catalog.size")).setAutoWidth(true);
            platforms.setItems(details.platforms());
            platforms.setAllRowsVisible(true);
            add(platforms);
            for (TagDetails.Platform p : details.platforms()) {
                if (p.image() != null) {
                    Details section = new Details(platformName(p.os(), p.architecture(), p.variant()), image(p.image(), "platform"));
                    add(section);
                }
            }
        }
    }

    /** Signatures, SBOMs and other artifacts pushed with this manifest as their subject. */
    private Component attached(List<TagDetails.Attached> attached) {
        VerticalLayout box = new VerticalLayout();
        box.setPadding(false);
        box.setId("attached-artifacts");
        box.add(new H3(getTranslation("catalog.attached", attached.size())));
        if (attached.isEmpty()) {
            Paragraph none = new Paragraph(getTranslation("catalog.attached.none"));
            none.addClassName("berth-muted");
            box.add(none);
            return box;
        }
        Grid<TagDetails.Attached> grid = new Grid<>();
        grid.setId("attached");
        grid.addColumn(a -> ArtifactKinds.label(this, a.artifactType())).setHeader(getTranslation("catalog.artifact-type"))
                .setKey("type").setWidth("9em").setFlexGrow(1).setTooltipGenerator(a -> a.artifactType() == null ? a.mediaType() : a.artifactType());
        grid.addComponentColumn(a -> new CopyableText(a.digest().toString()).compact()).setHeader(getTranslation("catalog.digest"))
                .setKey("digest").setWidth("12em").setFlexGrow(3);
        grid.addColumn(a -> Formats.size(a.size())).setHeader(getTranslation("catalog.size")).setKey("size").setWidth("6em").setFlexGrow(0);
        grid.addColumn(a -> Formats.exact(a.pushedAt(), getLocale())).setHeader(getTranslation("catalog.pushed"))
                .setKey("pushed").setWidth("14em").setFlexGrow(0);
        ScreenWidth.whenNarrow(grid, narrow -> {
            grid.getColumnByKey("size").setVisible(!narrow);
            grid.getColumnByKey("pushed").setVisible(!narrow);
        });
        grid.setItems(attached);
        grid.setAllRowsVisible(true);
        box.add(grid);
        return box;
    }

    private Component image(TagDetails.Image image, String idPrefix) {
        VerticalLayout box = new VerticalLayout();
        box.setPadding(false);
        Div facts = new Div();
        facts.addClassName("berth-facts");
        facts.add(label("catalog.platform"), value(platformName(image.os(), image.architecture(), image.variant()), idPrefix + "-platform"));
        if (image.configDigest() != null) {
            facts.add(label("catalog.config-digest"), copyable(image.configDigest().toString(), idPrefix + "-config-digest"));
        }
        TagDetails.RunConfig run = image.config();
        addList(facts, "catalog.entrypoint", run.entrypoint());
        addList(facts, "catalog.cmd", run.cmd());
        if (!run.env().isEmpty()) {
            facts.add(label("catalog.env"), lines(run.env()));
        }
        if (!run.labels().isEmpty()) {
            facts.add(label("catalog.labels"), lines(run.labels().entrySet().stream().map(Map.Entry::toString).toList()));
        }
        addList(facts, "catalog.exposed-ports", run.exposedPorts());
        if (run.user() != null && !run.user().isBlank()) {
            facts.add(label("catalog.user"), value(run.user(), null));
        }
        box.add(facts);
        box.add(new H3(getTranslation("catalog.layers", image.layers().size())));
        Grid<TagDetails.Layer> layers = new Grid<>();
        layers.setId(idPrefix + "-layers");
        layers.addColumn(l -> image.layers().indexOf(l) + 1).setHeader("#").setAutoWidth(true).setFlexGrow(0);
        layers.addComponentColumn(l -> new CopyableText(l.digest()).compact()).setHeader(getTranslation("catalog.digest")).setWidth("12em").setFlexGrow(3);
        layers.addColumn(l -> Formats.size(l.size())).setHeader(getTranslation("catalog.size")).setWidth("6em").setFlexGrow(0);
        layers.addColumn(TagDetails.Layer::mediaType).setHeader(getTranslation("catalog.media-type")).setKey("mediaType").setWidth("12em").setFlexGrow(1)
                .setTooltipGenerator(TagDetails.Layer::mediaType);
        ScreenWidth.whenNarrow(layers, narrow -> layers.getColumnByKey("mediaType").setVisible(!narrow));
        layers.setItems(image.layers());
        layers.setAllRowsVisible(true);
        box.add(layers);
        return box;
    }

    private void addList(Div facts, String key, List<String> values) {
        if (!values.isEmpty()) {
            facts.add(label(key), value(String.join(" ", values), null));
        }
    }

    private Component lines(List<String> values) {
        Div div = new Div();
        values.forEach(v -> {
            Div line = new Div(v);
            line.addClassName("berth-mono");
            div.add(line);
        });
        return div;
    }

    private static String platformName(String os, String architecture, String variant) {
        if (os == null && architecture == null) {
            return "—";
        }
        return (os == null ? "?" : os) + "/" + (architecture == null ? "?" : architecture) + (variant == null ? "" : "/" + variant);
    }

    private Span label(String key) {
        Span span = new Span(getTranslation(key));
        span.addClassName("berth-fact-label");
        return span;
    }

    private static Span value(String text, String id) {
        Span span = new Span(text);
        span.addClassName("berth-mono");
        if (id != null) {
            span.setId(id);
        }
        return span;
    }

    private static CopyableText copyable(String text, String id) {
        CopyableText copy = new CopyableText(text);
        copy.setId(id);
        return copy;
    }

}
