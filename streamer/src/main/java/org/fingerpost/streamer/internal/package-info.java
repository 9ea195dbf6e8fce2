/**
 * Implementation of the streamer: following one log file into a {@link
 * org.fingerpost.transport.LogSink} ({@link org.fingerpost.streamer.internal.LogFollower}), the shared
 * change notifications and poll tick ({@link org.fingerpost.streamer.internal.FileChangeNotifier}) and
 * the discovery of builds in the job directory ({@link org.fingerpost.streamer.internal.JobDirWatcher}).
 * Not API: only {@link org.fingerpost.streamer.Streamer} uses these classes.
 */
package org.fingerpost.streamer.internal;
