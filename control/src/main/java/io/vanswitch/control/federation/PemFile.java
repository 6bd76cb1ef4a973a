package io.vanswitch.control.federation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The blocks of one PEM file ({@code -----BEGIN label-----} base64 {@code -----END label-----}), read
 * with errors an operator can act on: each names the file by its role ("key file /k.pem: ...").
 */
final class PemFile
{
    private static final Pattern BLOCK = Pattern.compile(
        "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s:,\\-]*?)-----END \\1-----");

    /** One block: its label and its decoded DER bytes. */
    record Block(String label, byte[] der)
    {
    }

    private final String role;
    private final Path path;
    private final List<Block> blocks;

    private PemFile(final String role, final Path path, final List<Block> blocks)
    {
        this.role = role;
        this.path = path;
        this.blocks = blocks;
    }

    /**
     * @param role how the file is named in errors: "certificate file", "key file", "CA file".
     */
    static PemFile read(final String role, final Path path)
    {
        final String text;
        try
        {
            if (Files.isDirectory(path))
            {
                throw new FederationConfigException(role + " " + path + ": is a directory, not a PEM file");
            }
            // Latin-1 decodes any bytes: a binary (DER) file then just has no PEM block, which says more
            text = Files.readString(path, StandardCharsets.ISO_8859_1);
        }
        catch (final NoSuchFileException ex)
        {
            throw new FederationConfigException(role + " " + path + ": no such file");
        }
        catch (final AccessDeniedException ex)
        {
            throw new FederationConfigException(role + " " + path + ": not readable (permission denied)");
        }
        catch (final IOException ex)
        {
            throw new FederationConfigException(role + " " + path + ": cannot be read (" + PemCredentials.oneLine(ex) + ")");
        }

        final List<Block> blocks = new ArrayList<>();
        final Matcher matcher = BLOCK.matcher(text);
        while (matcher.find())
        {
            final String label = matcher.group(1);
            final String body = matcher.group(2);
            if (body.contains(":"))
            {
                // "Proc-Type: 4,ENCRYPTED" headers: a traditional key encrypted with a pass phrase
                throw new FederationConfigException(role + " " + path + ": \"BEGIN " + label +
                    "\" is encrypted: decrypt it to PKCS#8 with openssl pkcs8 -topk8 -nocrypt -in " + path +
                    " -out key-pkcs8.pem");
            }
            try
            {
                blocks.add(new Block(label, Base64.getMimeDecoder().decode(body)));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new FederationConfigException(role + " " + path + ": the \"BEGIN " + label +
                    "\" block is not valid base64 (" + ex.getMessage() + ")");
            }
        }
        return new PemFile(role, path, List.copyOf(blocks));
    }

    List<Block> blocks()
    {
        return blocks;
    }

    List<byte[]> withLabel(final String label)
    {
        final List<byte[]> found = new ArrayList<>();
        for (final Block block : blocks)
        {
            if (block.label().equals(label))
            {
                found.add(block.der());
            }
        }
        return found;
    }

    /** An error about this file: "role path: what". */
    FederationConfigException error(final String what)
    {
        return new FederationConfigException(role + " " + path + ": " + what);
    }

    Path path()
    {
        return path;
    }
}
