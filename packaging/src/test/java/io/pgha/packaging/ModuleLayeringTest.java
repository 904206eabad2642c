package io.pgha.packaging;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module layering of ARCHITECTURE.md: leaf modules import neither core nor each other. */
class ModuleLayeringTest {
    private static final String CORE = "io.pgha.core..";
    private static final String STORE = "io.pgha.store..";
    private static final String PROXY = "io.pgha.proxy..";
    private static final String BACKUP = "io.pgha.backup..";
    private static final String HARDENING = "io.pgha.hardening..";

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.pgha");
    }

    @Test
    void storeDependsOnNothingOfOurs() {
        leafRule(STORE, CORE, PROXY, BACKUP, HARDENING).check(classes);
    }

    @Test
    void proxyDependsOnNothingOfOurs() {
        leafRule(PROXY, CORE, STORE, BACKUP, HARDENING).check(classes);
    }

    @Test
    void backupDependsOnNothingOfOurs() {
        leafRule(BACKUP, CORE, STORE, PROXY, HARDENING).check(classes);
    }

    @Test
    void hardeningDependsOnNothingOfOurs() {
        leafRule(HARDENING, CORE, STORE, PROXY, BACKUP).check(classes);
    }

    @Test
    void everyModuleIsOnTheClasspathBeingChecked() {
        // A rule over an empty import passes vacuously; make sure each leaf really was imported.
        for (String pkg : new String[] {"io.pgha.core", "io.pgha.store", "io.pgha.proxy", "io.pgha.backup",
                "io.pgha.hardening"}) {
            if (classes.stream().noneMatch(c -> c.getPackageName().startsWith(pkg))) {
                throw new AssertionError("no classes of " + pkg + " found: the layering check would prove nothing");
            }
        }
    }

    static ArchRule leafRule(String leaf, String... forbidden) {
        return noClasses().that().resideInAPackage(leaf)
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .because("leaf modules depend on nothing of ours (ARCHITECTURE.md, Modules)");
    }
}
