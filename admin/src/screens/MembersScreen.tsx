export default function MembersScreen() { return <p>TODO</p>; }
