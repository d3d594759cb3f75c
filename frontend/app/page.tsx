// The site root has nothing of its own: it sends people to /costs/.
export default function Home() {
  return (
    <main className="page">
      <meta httpEquiv="refresh" content="0; url=costs/" />
      <p>
        The dashboard is at <a href="costs/">/costs</a>.
      </p>
    </main>
  );
}
