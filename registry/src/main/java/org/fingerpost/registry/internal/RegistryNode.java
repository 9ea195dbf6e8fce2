package org.fingerpost.registry.internal;

import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.fingerpost.registry.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Curator {@link PersistentNode} (no protection prefix; missing parents created as container nodes)
 * whose {@link #close()} does not block when ZooKeeper is away: then the node is deleted in the
 * background once the connection returns (Curator's guaranteed delete), or vanishes with the session
 * if it is ephemeral and the session expires first. When connected, close deletes the node before it
 * returns. Thread-safety as {@link PersistentNode}. Not API.
 */
public final class RegistryNode extends PersistentNode {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryNode.class);

  private final Registry registry;

  public RegistryNode(Registry registry, CreateMode mode, String path, byte[] data) {
    super(registry.curator(), mode, false, path, data);
    this.registry = registry;
  }

  @Override
  protected void deleteNode() throws Exception {
    if (registry.isConnected()) {
      super.deleteNode();
      return;
    }
    String path = getActualPath();
    if (path != null) {
      LOG.info("ZooKeeper not connected: {} will be deleted when the connection returns", path);
      registry.curator().delete().guaranteed().inBackground().forPath(path);
    }
  }
}
