export default function ExperimentsScreen() { return <p>TODO</p>; }
