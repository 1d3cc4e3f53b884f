package dev.segloss.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.UncheckedIOException;

/**
 * Java serialization to and from bytes. The slices and results of segloss's tasks cross Spark as byte arrays,
 * so that they do not depend on the application's {@code spark.serializer} (a Kryo setting in a cluster's
 * defaults would otherwise meet Java records, which Kryo 4 cannot rebuild). Classes are resolved with the
 * thread's context class loader, which on an executor is the one that sees the application's jars.
 */
final class Bytes {
  private Bytes() {}

  static byte[] of(Object o) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(b)) {
      out.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize " + o.getClass().getName() + ": " + e.getMessage(), e);
    }
    return b.toByteArray();
  }

  @SuppressWarnings("unchecked")
  static <T> T read(byte[] bytes) {
    try (ObjectInputStream in = new ContextObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (T) in.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot deserialize: " + e.getMessage(), e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("class not found on this JVM: " + e.getMessage(), e);
    }
  }

  private static final class ContextObjectInputStream extends ObjectInputStream {
    ContextObjectInputStream(InputStream in) throws IOException {
      super(in);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      ClassLoader cl = Thread.currentThread().getContextClassLoader();
      if (cl == null) return super.resolveClass(desc);
      try {
        return Class.forName(desc.getName(), false, cl);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc);
      }
    }
  }
}
