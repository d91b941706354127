import java.lang.reflect.Field;

/**
 * A static field of a Lanes class set by reflection to one of two values, so that one JVM can alternate between two
 * settings (or two copies of a method, behind a flag added for the experiment) sample by sample.
 */
final class Toggle {
    private final Field field;
    private final String[] values;

    /** {@code className} is simple within dev.lanes.evm.interpreter or fully qualified; "none" toggles nothing. */
    Toggle(String className, String fieldName, String a, String b) throws ReflectiveOperationException {
        if (className.equals("none")) {
            field = null;
        } else {
            Class<?> c = Class.forName(className.contains(".") ? className : "dev.lanes.evm.interpreter." + className);
            field = c.getDeclaredField(fieldName);
            field.setAccessible(true);
        }
        values = new String[] {a, b};
    }

    void set(int v) throws IllegalAccessException {
        if (field == null) return;
        if (field.getType() == boolean.class) field.setBoolean(null, Boolean.parseBoolean(values[v]));
        else if (field.getType() == int.class) field.setInt(null, Integer.parseInt(values[v]));
        else field.setLong(null, Long.parseLong(values[v]));
    }
}
