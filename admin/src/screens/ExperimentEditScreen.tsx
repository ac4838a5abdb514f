export default function ExperimentEditScreen() { return <p>TODO</p>; }
