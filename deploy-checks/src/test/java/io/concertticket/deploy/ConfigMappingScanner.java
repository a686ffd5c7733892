package io.concertticket.deploy;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MemberValuePair;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NormalAnnotationExpr;
import com.github.javaparser.ast.expr.SingleMemberAnnotationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the configuration a service declares in Java: {@code @ConfigMapping(prefix = ...)} interfaces
 * (SmallRye naming: method names in kebab-case, nested interfaces as groups, {@code Map} keys as a wildcard
 * segment, {@code @WithName}, {@code @WithParentName}), {@code @ConfigProperty(name = ...)} and
 * {@code @WithDefault} values, and topic names passed as literals to {@code publish(...)}.
 */
final class ConfigMappingScanner {

    /** A property name; "*" stands for any map key, "[*]" for any list index. */
    record Declared(String name, String defaultValue) {
    }

    record Result(List<Declared> properties, Set<String> publishedTopicLiterals) {
    }

    private static final Set<String> LEAF_CONTAINERS = Set.of("Optional", "List", "Set", "Collection");
    /** The services' language level (the build's {@code maven.compiler.release}). */
    private static final ParserConfiguration.LanguageLevel LANGUAGE_LEVEL = ParserConfiguration.LanguageLevel.JAVA_21;

    private final JavaParser parser = new JavaParser(new ParserConfiguration().setLanguageLevel(LANGUAGE_LEVEL));

    private final Map<String, ClassOrInterfaceDeclaration> interfaces = new HashMap<>();
    private final List<CompilationUnit> units = new ArrayList<>();

    private ConfigMappingScanner() {
    }

    static Result scan(List<Path> sourceRoots) {
        ConfigMappingScanner scanner = new ConfigMappingScanner();
        for (Path root : sourceRoots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (var files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    scanner.parse(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return scanner.result();
    }

    /** A file that does not parse fails the scan: the settings it may declare would go unchecked otherwise. */
    private void parse(Path file) {
        ParseResult<CompilationUnit> parsed;
        try {
            parsed = parser.parse(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!parsed.isSuccessful() || parsed.getResult().isEmpty()) {
            throw new IllegalStateException("deploy-checks cannot read the settings of " + file + ": it does not parse as "
                    + LANGUAGE_LEVEL + ": " + parsed.getProblems());
        }
        CompilationUnit unit = parsed.getResult().get();
        units.add(unit);
        unit.findAll(ClassOrInterfaceDeclaration.class).stream()
                .filter(ClassOrInterfaceDeclaration::isInterface)
                .forEach(i -> interfaces.putIfAbsent(i.getNameAsString(), i));
    }

    private Result result() {
        List<Declared> properties = new ArrayList<>();
        Set<String> topics = new LinkedHashSet<>();
        for (CompilationUnit unit : units) {
            for (ClassOrInterfaceDeclaration type : unit.findAll(ClassOrInterfaceDeclaration.class)) {
                Optional<AnnotationExpr> mapping = type.getAnnotationByName("ConfigMapping");
                if (mapping.isPresent() && type.isInterface()) {
                    String prefix = attribute(mapping.get(), "prefix").orElse("");
                    String naming = attribute(mapping.get(), "namingStrategy").orElse("KEBAB_CASE");
                    walk(type, prefix, naming, properties, new LinkedHashSet<>());
                }
            }
            unit.findAll(com.github.javaparser.ast.body.FieldDeclaration.class).forEach(field ->
                    field.getAnnotationByName("ConfigProperty").flatMap(a -> attribute(a, "name"))
                            .ifPresent(name -> properties.add(new Declared(name,
                                    field.getAnnotationByName("ConfigProperty").flatMap(a -> attribute(a, "defaultValue")).orElse(null)))));
            unit.findAll(com.github.javaparser.ast.body.Parameter.class).forEach(param ->
                    param.getAnnotationByName("ConfigProperty").flatMap(a -> attribute(a, "name"))
                            .ifPresent(name -> properties.add(new Declared(name,
                                    param.getAnnotationByName("ConfigProperty").flatMap(a -> attribute(a, "defaultValue")).orElse(null)))));
            for (MethodCallExpr call : unit.findAll(MethodCallExpr.class)) {
                if (call.getNameAsString().equals("publish") && call.getArguments().size() >= 2
                        && call.getArgument(0) instanceof StringLiteralExpr literal) {
                    topics.add(literal.getValue());
                }
            }
        }
        return new Result(properties, topics);
    }

    private void walk(ClassOrInterfaceDeclaration type, String prefix, String naming, List<Declared> out, Set<String> visiting) {
        if (!visiting.add(type.getNameAsString())) {
            return; // recursive group: its names are already covered
        }
        for (MethodDeclaration method : type.getMethods()) {
            if (method.isDefault() || method.isStatic() || method.getParameters().isNonEmpty() || method.getType().isVoidType()) {
                continue;
            }
            String segment = method.getAnnotationByName("WithName").flatMap(a -> attribute(a, null))
                    .orElse(name(method.getNameAsString(), naming));
            boolean parent = method.getAnnotationByName("WithParentName").isPresent();
            String path = parent ? prefix : join(prefix, segment);
            String defaultValue = method.getAnnotationByName("WithDefault").flatMap(a -> attribute(a, null)).orElse(null);
            walkType(method.getType(), path, naming, defaultValue, out, visiting);
        }
        // An interface may extend another mapping interface: its methods belong here too.
        for (ClassOrInterfaceType parentType : type.getExtendedTypes()) {
            ClassOrInterfaceDeclaration parent = interfaces.get(parentType.getNameAsString());
            if (parent != null) {
                walk(parent, prefix, naming, out, visiting);
            }
        }
        visiting.remove(type.getNameAsString());
    }

    private void walkType(Type type, String path, String naming, String defaultValue, List<Declared> out, Set<String> visiting) {
        if (type instanceof ClassOrInterfaceType classType) {
            String simple = classType.getNameAsString();
            List<Type> args = classType.getTypeArguments().map(List::copyOf).orElse(List.of());
            if (simple.equals("Map") && args.size() == 2) {
                walkType(args.get(1), path + ".*", naming, defaultValue, out, visiting);
                return;
            }
            if ((simple.equals("List") || simple.equals("Set")) && args.size() == 1 && isGroup(args.get(0))) {
                walkType(args.get(0), path + "[*]", naming, defaultValue, out, visiting);
                return;
            }
            if (LEAF_CONTAINERS.contains(simple) && args.size() == 1 && isGroup(args.get(0))) {
                walkType(args.get(0), path, naming, defaultValue, out, visiting);
                return;
            }
            ClassOrInterfaceDeclaration group = group(classType, simple);
            if (group != null && group.getAnnotationByName("ConfigMapping").isEmpty()) {
                walk(group, path, naming, out, visiting);
                return;
            }
        }
        out.add(new Declared(path, defaultValue));
    }

    /**
     * The group interface a mapping names: the one of that name in the mapping's own file first (two mappings of one
     * prefix, such as a service's infrastructure config and its use cases' settings, may each nest an
     * {@code Admission}), else the one of that name in any file.
     */
    private ClassOrInterfaceDeclaration group(Node usedIn, String simple) {
        return usedIn.findCompilationUnit()
                .flatMap(unit -> unit.findFirst(ClassOrInterfaceDeclaration.class,
                        d -> d.isInterface() && d.getNameAsString().equals(simple)))
                .orElseGet(() -> interfaces.get(simple));
    }

    private boolean isGroup(Type type) {
        return type instanceof ClassOrInterfaceType t && interfaces.containsKey(t.getNameAsString());
    }

    private static String join(String prefix, String segment) {
        return prefix.isEmpty() ? segment : prefix + "." + segment;
    }

    /** SmallRye Config's naming strategies: KEBAB_CASE (default), SNAKE_CASE, VERBATIM. */
    static String name(String method, String naming) {
        if (naming.endsWith("VERBATIM")) {
            return method;
        }
        String separator = naming.endsWith("SNAKE_CASE") ? "_" : "-";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean previousLower = i > 0 && !Character.isUpperCase(method.charAt(i - 1));
                boolean nextLower = i + 1 < method.length() && Character.isLowerCase(method.charAt(i + 1));
                boolean previousUpper = i > 0 && Character.isUpperCase(method.charAt(i - 1));
                if (i > 0 && (previousLower || (previousUpper && nextLower))) {
                    b.append(separator);
                }
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The value of an annotation attribute (null name: the single value), when it is a literal or a constant name. */
    private static Optional<String> attribute(AnnotationExpr annotation, String name) {
        Expression value = null;
        if (annotation instanceof SingleMemberAnnotationExpr single && (name == null || name.equals("value"))) {
            value = single.getMemberValue();
        } else if (annotation instanceof NormalAnnotationExpr normal) {
            String wanted = name == null ? "value" : name;
            value = normal.getPairs().stream().filter(p -> p.getNameAsString().equals(wanted))
                    .map(MemberValuePair::getValue).findFirst().orElse(null);
        }
        if (value == null) {
            return Optional.empty();
        }
        if (value.isStringLiteralExpr()) {
            return Optional.of(value.asStringLiteralExpr().getValue());
        }
        if (value.isTextBlockLiteralExpr()) {
            return Optional.of(value.asTextBlockLiteralExpr().getValue());
        }
        return Optional.of(value.toString()); // e.g. NamingStrategy.VERBATIM
    }
}
